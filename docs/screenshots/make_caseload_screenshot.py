"""Screenshot of the caseload, the library window's first tab, with a realistic generated library.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_caseload_screenshot.py

Twenty-four generated cases (no real family) at every stage of the pathway, referred by health
visitors, GPs, midwifery, mental health services or themselves, for the catalogue's reasons; those in
intervention with a VIG intervention or a WWW course (sessions attended, cancelled, not attended, the
next ones planned), some with consent, a questionnaire or an open risk flag; a few closed.
"""

from __future__ import annotations

import datetime as dt
import random

import shots  # first: the isolated environment

from vigstudio.app import consent, outcomes, pathway
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.app.www import Courses
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.main_window import MainWindow

SOURCES = ("health-visitor", "gp", "midwifery", "mental-health", "self")
REASONS = ("low-mood", "anxiety", "bonding", "birth-trauma", "infant-regulation")
STAGES = (["assessment"], ["waiting"], ["assessment", "in-intervention"], ["in-intervention"], [],
          ["in-intervention", "ended"])


def build(service: LibraryService) -> None:
    rng = random.Random(5)
    today = dt.date.today()
    courses = Courses(service)
    for n in range(24):
        code = f"F-{101 + n}"
        add_case(service, code)
        received = today - dt.timedelta(days=rng.randint(10, 120))
        born = received - dt.timedelta(weeks=rng.randint(2, 30))
        ref = pathway.add_referral(service, code, received, rng.choice(SOURCES),
                                   reasons=rng.sample(REASONS, rng.randint(1, 2)), perinatal="postnatal",
                                   birth_date=born, urgency=rng.choice(("routine", "routine", "soon")))
        day = received
        stages = STAGES[n % len(STAGES)]
        if stages:
            pathway.decide(service, ref.id, "accepted", on=min(today, received + dt.timedelta(days=3)))
        dated = []
        for stage in stages:
            day = min(today, day + dt.timedelta(days=rng.randint(5, 25)))
            dated.append((stage, day))
        for stage, day in dated:
            if stage == "ended":  # the course's sessions came before its end
                day = max(day, today - dt.timedelta(days=2))
            pathway.set_stage(service, code, stage, on=day, reason="completed" if stage == "ended" else "")
        started = dict(dated).get("in-intervention")
        if started is not None:
            last = today - dt.timedelta(days=3) if "ended" in dict(dated) else today + dt.timedelta(days=14)
            _course(courses, code, "www" if n % 2 else "vig", started, last, today, rng)
        if n % 3:
            consent.add(service, code, ["storage"], "HV")
        if n % 4 == 0:
            outcomes.add_completion(service, code, "PHQ-9", "pre", answers=[1] * 8 + [0])
    outcomes.add_completion(service, "F-108", "EPDS", "pre", answers=[1, 1, 2, 1, 2, 2, 2, 2, 2, 2])


def _course(courses: Courses, code: str, kind: str, start: dt.date, last: dt.date, today: dt.date,
            rng: random.Random) -> None:
    """A course from `start` to `last`: weekly sessions, past ones with what happened, the next ones planned."""
    intervention = courses.add_intervention(code, kind, started_on=start)
    day = start
    while day <= last:
        if day > today:
            courses.add_session(intervention.id, day, attendance="planned")
        else:
            outcome = rng.choice(("attended", "attended", "attended", "cancelled", "dna"))
            courses.add_session(intervention.id, day, attendance=outcome,
                                cancelled_by=rng.choice(("family", "service")) if outcome == "cancelled" else None)
        day += dt.timedelta(days=7)


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
