"""A service's library after some years, for the reports, made in about a second: bulk inserts, no media.

    generate(service, cases=300)  # adds cases R-0001..R-0300, plus the service's own work

Per case: a referral (accepted), its pathway (referred, assessment, in intervention; two cases in
three ended), a storage consent, a VIG intervention with one cycle (helping question and a goal, both
rated at the start and the end) of three filming sessions (a recording row with two clips each) and
three shared reviews, a WWW course of `www_sessions` sessions (a few cancelled or not attended; each
attended one with a recording row, six coded moments of which two answer an initiative, and two
Wonder notes), and PHQ-9, GAD-7 and WSAS at pre and post. Most cases have both interventions; every
fifth has VIG only and every fifth WWW only (the first case has both). Once for the library: two
training stages, a supervision a fortnight and the service's consultations, training and liaison
(two a fortnight). Dates run over the three years before today, the cases spread evenly over them.

Rows go in with explicit ids in one transaction, one multi-row INSERT per table. Recordings are rows
only (made-up containers, never opened): the reports never decode video.
"""

from __future__ import annotations

import datetime as dt
import uuid

from bench.scale_library import Rows
from vigstudio.app import outcomes
from vigstudio.app.library import LibraryService
from vigstudio.domain.measures import MeasureCatalogue
from vigstudio.store import schema

YEARS = 3
WWW_SESSIONS = 10
FRAMES = 3000
SOURCES = ("health_visitor", "gp", "midwifery", "mental_health", "self")
REASONS = ("low_mood", "anxiety", "bonding", "birth_trauma", "parenting_confidence")
THEMES = ("T-CLOSE", "T-OWN-CHILDHOOD", "T-CONFIDENCE", "T-FEELINGS")
INITIATIVES = ("I-LOOK", "I-REACH", "I-VOCAL", "I-PLAY")


def _uid() -> str:
    return uuid.uuid4().hex


def _answers(total: int, items: int, top: int) -> list[int]:
    """Option positions (0 = first printed option; these measures score them as printed) summing to
    `total`, spread over the items, the last one (a risk item on PHQ-9) left at 0."""
    total = min(total, (items - 1) * top)
    return [total // (items - 1) + (i < total % (items - 1)) for i in range(items - 1)] + [0]


def _recording(rows: Rows, session_id: int, name: str, now: dt.datetime) -> int:
    return rows.add(schema.RecordingRow, session_id=session_id, file_name=name,
                    container=f"generated-{_uid()}.vigm", container_key="0" * 64, sha256="0" * 64,
                    frame_count=FRAMES, fps=25.0, duration=FRAMES / 25, width=1280, height=720,
                    has_audio=True, imported_at=now)


def _session(rows: Rows, intervention_id: int, cycle_id: int | None, kind: str, date: dt.date, *,
             attendance: str = "attended", cancelled_by: str | None = None) -> int:
    return rows.add(schema.SessionRow, intervention_id=intervention_id, cycle_id=cycle_id, kind=kind, date=date,
                    notes="", source_uid=None, uid=_uid(), attendance=attendance, cancelled_by=cancelled_by,
                    attendance_reason="", attendees=("mother",) if attendance == "attended" else ())


def _vig(rows: Rows, case_id: int, n: int, start: dt.date, now: dt.datetime) -> int:
    intervention_id = rows.add(schema.InterventionRow, case_id=case_id, kind="vig", status="active",
                               started_on=start, ended_on=None, planned_sessions=None)
    cycle_id = rows.add(schema.CycleRow, intervention_id=intervention_id, number=1,
                        helping_question="How can I help my baby settle?")
    for position, text in enumerate(("How can I help my baby settle?", "Play together more")):
        rows.add(schema.GoalRow, cycle_id=cycle_id, text=text, start_score=2 + (n + position) % 4,
                 end_score=4 + (n * 3 + position) % 6, position=position)
    for visit in range(3):
        day = start + dt.timedelta(days=14 * visit)
        filming = _session(rows, intervention_id, cycle_id, "filming", day)
        recording = _recording(rows, filming, f"visit {visit + 1}.mp4", now)
        for clip in range(2):
            rows.add(schema.ClipRow, recording_id=recording, start_frame=clip * 500, end_frame=clip * 500 + 200,
                     title=f"moment {clip + 1}", position=clip, uid=_uid())
        _session(rows, intervention_id, cycle_id, "shared_review", day + dt.timedelta(days=7))
    return intervention_id


def _www(rows: Rows, case_id: int, n: int, start: dt.date, sessions: int, now: dt.datetime) -> int:
    intervention_id = rows.add(schema.InterventionRow, case_id=case_id, kind="www", status="active",
                               started_on=start, ended_on=None, planned_sessions=max(sessions, 12))
    for k in range(sessions):
        day = start + dt.timedelta(days=7 * k)
        if k % 5 == 3:
            _session(rows, intervention_id, None, "www", day, attendance="cancelled",
                     cancelled_by="family" if (n + k) % 2 else "service")
            continue
        if k % 7 == 5:
            _session(rows, intervention_id, None, "www", day, attendance="dna")
            continue
        session_id = _session(rows, intervention_id, None, "www", day)
        recording = _recording(rows, session_id, f"www {k + 1}.mp4", now)
        for pair in range(3):
            frame = 200 + pair * 800
            initiative = rows.add(schema.ObservationRow, recording_id=recording, frame=frame, end_frame=None,
                                  code=INITIATIVES[(n + k + pair) % len(INITIATIVES)], text="", coder="therapist",
                                  responds_to=None, created_at=now, uid=_uid())
            response = "M-FOLLOW" if (n + k + pair) % 3 else "M-REDIRECT"
            rows.add(schema.ObservationRow, recording_id=recording, frame=frame + 40, end_frame=None,
                     code=response, text="", coder="therapist",
                     responds_to=initiative if pair < 2 else None, created_at=now, uid=_uid())
        rows.add(schema.WonderNoteRow, session_id=session_id, kind="theme", text="",
                 theme=THEMES[(n + k) % len(THEMES)], observation_id=None, recording_id=None, frame=None,
                 created_at=now, uid=_uid())
        rows.add(schema.WonderNoteRow, session_id=session_id, kind="mother_felt", text="calmer", theme=None,
                 observation_id=None, recording_id=None, frame=None, created_at=now, uid=_uid())
    return intervention_id


def _measures(rows: Rows, cat: MeasureCatalogue, case_id: int, n: int, intervention_id: int | None, pre: dt.date,
              post: dt.date | None, now: dt.datetime) -> None:
    for measure_id, items, top, before, after in (("PHQ-9", 9, 3, 12 + n % 10, 5 + n % 9),
                                                  ("GAD-7", 7, 3, 9 + n % 8, 4 + n % 7),
                                                  ("WSAS", 5, 8, 14 + n % 12, 8 + n % 10)):
        measure = cat.measure(measure_id)
        for when, day, total in (("pre", pre, before), ("post", post, after)):
            if day is None:
                continue
            rows.add(schema.CompletionRow, case_id=case_id, intervention_id=intervention_id, measure=measure_id,
                     measure_version=measure.version, catalogue_version=cat.version, when=when,
                     answers=_answers(total, items, top), typed_scores=None, date=day,
                     completed_by="practitioner", recorded_at=now, uid=_uid())


def generate(service: LibraryService, cases: int = 300, *, first: int = 1, www_sessions: int = WWW_SESSIONS,
             today: dt.date | None = None) -> list[int]:
    """Add `cases` cases (codes R-0001...) with everything the reports read, and the service's own work,
    in one transaction; returns the new case ids."""
    today = today or dt.date.today()
    now = dt.datetime.now(dt.UTC)
    begin = today - dt.timedelta(days=365 * YEARS)
    span = (today - begin).days - 200  # the last case's course still fits before today
    cat = outcomes.catalogue(service)
    with service.edit() as repos:
        rows = Rows(repos.orm_session)
        case_ids = []
        for number in range(first, first + cases):
            n = number - first
            received = begin + dt.timedelta(days=span * n // max(1, cases - 1) if cases > 1 else span)
            ended = n % 3 != 2
            case_id = rows.add(schema.CaseRow, code=f"R-{number:04d}", name=None, referral="health_visitor",
                               status="open", is_demo=False, created_at=now, origin="local")
            case_ids.append(case_id)
            referral_id = rows.add(
                schema.ReferralRow, case_id=case_id, received=received, source=SOURCES[n % len(SOURCES)],
                referrer_role="", referrer_team="", contact="", reasons=[REASONS[n % len(REASONS)]],
                reason_text="", perinatal="postnatal", due_date=None, birth_date=received - dt.timedelta(days=60),
                urgency="routine", decision="accepted", decision_date=received + dt.timedelta(days=7),
                decision_reason="")
            steps = [("referred", received, "", referral_id), ("assessment", received + dt.timedelta(days=14), "", None),
                     ("in_intervention", received + dt.timedelta(days=30), "", None)]
            if ended:
                steps.append(("ended", received + dt.timedelta(days=150), "completed" if n % 2 else "disengaged",
                              None))
            for stage, day, reason, referral in steps:
                rows.add(schema.PathwayEventRow, case_id=case_id, stage=stage, date=day, reason=reason,
                         referral_id=referral, recorded_at=now)
            rows.add(schema.ConsentRow, case_id=case_id, scope="storage", recorded_by="HV",
                     date=received + dt.timedelta(days=14), withdrawn_on=None)
            start = received + dt.timedelta(days=30)
            # Most families have both; every fifth VIG only, every fifth a WWW course only.
            vig = _vig(rows, case_id, n, start, now) if n % 5 != 3 else None
            www = _www(rows, case_id, n, start + dt.timedelta(days=3), www_sessions, now) if n % 5 != 4 else None
            _measures(rows, cat, case_id, n, vig or www, received + dt.timedelta(days=28),
                      received + dt.timedelta(days=145) if ended else None, now)
        for stage, started in ((1, begin), (2, begin + dt.timedelta(days=365))):
            rows.add(schema.TrainingStageRow, stage=stage, started_on=started)
        day = begin
        while day < today:
            rows.add(schema.SupervisionRecordRow, date=day, supervisor="Supervisor", minutes=60, sessions=[],
                     discussed="cycles", goals="", reflection="")
            for kind, title, role, team, attendees, minutes in (
                    ("consultation", "infant sleep", "", "health visiting", None, 45),
                    (("training", "VIG awareness", "midwives", "", 12, 120) if day.month % 2 else
                     ("liaison", "handover", "", "perinatal mental health", None, 30))):
                rows.add(schema.ActivityRow, kind=kind, date=day + dt.timedelta(days=2), title=title, role=role,
                         team=team, attendees=attendees, minutes=minutes, outcome="", materials="", case_id=None)
            day += dt.timedelta(days=14)
        rows.insert()
    return case_ids
