"""Screenshot of the caseload, the library window's first tab, with a realistic generated library.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_caseload_screenshot.py

Twenty-four generated cases (no real family) at every stage of the pathway, some with consent, a
questionnaire or an open risk flag.
"""

from __future__ import annotations

import datetime as dt
import random

import shots  # first: the isolated environment

from vigstudio.app import consent, outcomes, pathway
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.main_window import MainWindow

SOURCES = ("health-visitor", "gp", "midwifery", "mental-health", "self")
STAGES = (["assessment"], ["waiting"], ["assessment", "in-intervention"], ["in-intervention"], [],
          ["in-intervention", "ended"])


def build(service: LibraryService) -> None:
    rng = random.Random(5)
    today = dt.date.today()
    for n in range(24):
        code = f"F-{101 + n}"
        add_case(service, code)
        received = today - dt.timedelta(days=rng.randint(10, 120))
        pathway.add_referral(service, code, received, rng.choice(SOURCES), reasons=["low-mood"])
        day = received
        for stage in STAGES[n % len(STAGES)]:
            day = min(today, day + dt.timedelta(days=rng.randint(5, 25)))
            pathway.set_stage(service, code, stage, on=day, reason="completed" if stage == "ended" else "")
        if n % 3:
            consent.add(service, code, ["storage"], "HV")
        if n % 4 == 0:
            outcomes.add_completion(service, code, "PHQ-9", "pre", answers=[1] * 8 + [0])
    outcomes.add_completion(service, "F-103", "EPDS", "pre", answers=[1, 1, 2, 1, 2, 2, 2, 2, 2, 2])


def main() -> int:
    app = make_application()
    service = LibraryService()
    service.create(shots.TMP / "lib", shots.PASSPHRASE)
    build(service)
    window = MainWindow(service)
    install_features(window)
    window.resize(1366, 740)
    window.move(0, 0)
    steps = shots.Steps(app, settle_ms=800)
    steps.then(window.show, 1200)
    steps.then(lambda: shots.shoot("caseload", window), 100)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
