"""Screenshots of a case's Outcomes view and of the first page of the service's outcome report.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_outcomes_screenshots.py

A generated case with PHQ-9, GAD-7 and EPDS before, during and after (no real family), and a generated
cohort of twenty families for the report; the report's first page is rendered with pdftoppm.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess

import shots  # first: the isolated environment
from PySide6.QtWidgets import QApplication, QLabel

from vigstudio.app import outcomes
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.app.outcome_report import make_outcome_report
from vigstudio.ui.app import make_application
from vigstudio.ui.outcomes import OutcomesDialog


def _phq(total: int) -> list[int]:
    answers = [0] * 9
    for n in range(total):
        answers[n % 8] += 1
    return answers


def build(service: LibraryService) -> None:
    rng = random.Random(11)
    add = outcomes.add_completion
    add_case(service, "F-014")
    for when, phq, gad, day in (("pre", 16, 12, 5), ("session-4", 12, 10, 40), ("post", 8, 6, 90)):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        add(service, "F-014", "PHQ-9", when, answers=_phq(phq), date=date)
        add(service, "F-014", "GAD-7", when, answers=[gad // 7 + (i < gad % 7) for i in range(7)], date=date)
    add(service, "F-014", "EPDS", "pre", answers=[1, 1, 1, 0, 1, 2, 2, 1, 2, 2], date=dt.date(2026, 1, 6))
    for n in range(20):
        code = f"C-{n:03d}"
        add_case(service, code)
        before = rng.randint(9, 22)
        add(service, code, "PHQ-9", "pre", answers=_phq(before), date=dt.date(2026, 1, 10))
        if n % 6 != 5:
            add(service, code, "PHQ-9", "post", answers=_phq(max(0, before - rng.randint(-2, 10))),
                date=dt.date(2026, 4, 10))


def main() -> int:
    app: QApplication = make_application()
    service = LibraryService()
    service.create(shots.TMP / "lib", shots.PASSPHRASE)
    build(service)
    report = shots.TMP / "report.pdf"
    make_outcome_report(service, report)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(report), str(shots.OUT / "outcome-report")],
                   check=True)
    dialog = OutcomesDialog(None, service, "F-014")
    dialog.resize(900, 740)
    dialog.move(20, 10)
    steps = shots.Steps(app, settle_ms=800)
    steps.then(dialog.show, 500)
    steps.then_when(lambda: dialog.findChild(QLabel, "chart-PHQ-9") is not None, 20000)
    steps.then(lambda: shots.shoot("outcomes-view", dialog), 100)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
