"""Watch, Wait and Wonder use cases on a real library and a real generated recording."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.videos import read_frame_number
from vigstudio.app.cases import add_case, add_session, find_case, find_session
from vigstudio.app.changes import ChangeAction, ChangeKind
from vigstudio.app.importing import import_recording
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.app.www.observations import OBSERVATION_EXTENSION
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.domain.model import Attendance, CancelledBy, InterventionKind, SessionKind
from vigstudio.domain.www import WonderKind

TODAY = dt.date.today()


@pytest.fixture
def course(service, video):
    """Case F-021 with a WWW course, one attended session holding the numbered recording."""
    add_case(service, "F-021")
    courses = Courses(service)
    intervention = courses.add_intervention("F-021", "www", started_on=TODAY - dt.timedelta(days=14))
    session = courses.add_session(intervention.id, TODAY - dt.timedelta(days=14), attendees=["mother"])
    recording = import_recording(service, "F-021", video, session_id=session.id)
    return {"courses": courses, "intervention": intervention, "session": session, "recording": recording}


def test_a_www_course_plans_15_sessions_and_counts_attendance(service, course):
    courses, intervention = course["courses"], course["intervention"]
    assert intervention.kind == InterventionKind.WWW and intervention.planned_sessions == 15
    courses.add_session(intervention.id, TODAY - dt.timedelta(days=7), attendance="cancelled",
                        cancelled_by="service", reason="therapist ill")
    courses.add_session(intervention.id, TODAY - dt.timedelta(days=3), attendance="dna", reason="no answer")
    later = courses.add_session(intervention.id, TODAY + dt.timedelta(days=7))
    courses.add_session(intervention.id, TODAY + dt.timedelta(days=14))
    assert later.attendance == Attendance.PLANNED  # a date ahead is planned unless told otherwise
    progress = courses.progress(intervention.id)
    assert progress.headline() == "WWW session 1 of 15"
    assert (progress.attended, progress.cancelled(CancelledBy.SERVICE), progress.cancelled(CancelledBy.FAMILY),
            progress.not_attended) == (1, 1, 0, 1)
    assert progress.next_planned() == later
    assert progress.number_of(course["session"].id) == 1
    assert "1 cancelled by the service" in progress.attendance_line()
    # the case's sessions include both VIG and WWW ones
    add_session(service, "F-021", SessionKind.FILMING)
    kinds = {(p.intervention.kind, len(p.sessions)) for p in courses.case_progress(find_case(service, "F-021").id)}
    assert kinds == {(InterventionKind.WWW, 5), (InterventionKind.VIG, 1)}


def test_attendance_rules_and_edits_with_undo(service, course):
    courses, session = course["courses"], course["session"]
    with pytest.raises(InvalidInput, match="only an attended session"):
        courses.update_session(session.id, attendance="dna", attendees=["mother"])
    with pytest.raises(InvalidInput, match="unknown role"):
        courses.update_session(session.id, attendees=["granny Smith"])
    before, after = courses.update_session(session.id, attendance="cancelled", reason="baby unwell")
    assert (after.attendance, after.cancelled_by, after.attendance_reason, after.attendees) == (
        Attendance.CANCELLED, CancelledBy.FAMILY, "baby unwell", ())
    courses.restore_session_fields(before)
    again = find_session(service, session.id)
    assert (again.attendance, again.attendees, again.cancelled_by) == (Attendance.ATTENDED, ("mother",), None)
    vig = courses.add_intervention("F-021", "vig")
    with pytest.raises(InvalidInput, match="needs a WWW course"):
        courses.add_session(vig.id, TODAY, kind="www")
    with pytest.raises(InvalidInput, match="of kind www"):
        courses.add_session(course["intervention"].id, TODAY, kind="filming")
    filming = courses.add_session(vig.id, TODAY)
    assert filming.kind == SessionKind.FILMING and filming.cycle_id is not None


def test_observations_at_exact_frames_with_responses(service, course):
    obs = Observations(service)
    rec = course["recording"]
    changes = []
    service.subscribe(changes.append)
    reach = obs.add(rec.id, 12, "I-REACH", end_frame=18, text="reaches for the ball")
    follow = obs.add(rec.id, 18, "M-FOLLOW", responds_to=reach.id, coder="A. Second")
    redirect = obs.add(rec.id, 30, "M-REDIRECT", responds_to=reach.id)
    assert [c.kind for c in changes] == [ChangeKind.OBSERVATION] * 3
    assert changes[0].action == ChangeAction.ADDED and changes[0].ids == (reach.id,)
    assert [o.id for o in obs.of_session(course["session"].id)] == [reach.id, follow.id, redirect.id]
    media = open_recording_media(service, rec.id)
    try:  # the coded frames are the frames shown
        assert [read_frame_number(media.frame(o.frame)) for o in (reach, follow, redirect)] == [12, 18, 30]
        assert read_frame_number(media.frame(reach.last_frame)) == 17
    finally:
        media.close()
    with pytest.raises(InvalidInput, match="not a response"):
        obs.add(rec.id, 20, "M-WAIT", responds_to=reach.id)
    with pytest.raises(InvalidInput, match="not an infant initiative"):
        obs.add(rec.id, 20, "M-FOLLOW", responds_to=follow.id)
    with pytest.raises(InvalidInput, match="outside the recording"):
        obs.add(rec.id, 48, "SHARED")
    with pytest.raises(InvalidInput, match="end frame 49"):
        obs.add(rec.id, 40, "SHARED", end_frame=49)
    with pytest.raises(InvalidInput, match="unknown observation code"):
        obs.add(rec.id, 4, "NOPE")
    with pytest.raises(InvalidInput, match="must stay an initiative"):
        obs.update(reach.id, code="SHARED")
    assert len(obs.of_recording(rec.id)) == 3  # nothing refused was written


def test_delete_and_restore_keep_ids_and_links(service, course):
    obs, notes = Observations(service), WonderNotes(service)
    rec, session = course["recording"], course["session"]
    reach = obs.add(rec.id, 12, "I-REACH")
    follow = obs.add(rec.id, 18, "M-FOLLOW", responds_to=reach.id)
    note = notes.add(session.id, "mother_observed", "she wanted the ball", observation_id=reach.id)
    snapshot = obs.delete(reach.id)
    assert obs.get(follow.id).responds_to is None
    assert notes.of_session(session.id)[0].observation_id is None
    with pytest.raises(NotFound):
        obs.get(reach.id)
    restored = obs.restore(snapshot)
    assert restored.id == reach.id and restored.uid == reach.uid
    assert obs.get(follow.id).responds_to == reach.id
    assert notes.of_session(session.id)[0].observation_id == reach.id == note.observation_id
    before, after = obs.update(follow.id, frame=20, end_frame=25, text="rolls it back")
    assert (after.frame, after.end_frame) == (20, 25)
    obs.restore_fields(before)
    assert obs.get(follow.id) == follow


def test_wonder_notes_link_to_observations_moments_and_themes(service, course):
    obs, notes = Observations(service), WonderNotes(service)
    rec, session = course["recording"], course["session"]
    reach = obs.add(rec.id, 12, "I-REACH")
    felt = notes.add(session.id, "mother_felt", "proud", observation_id=reach.id)
    moment = notes.add(session.id, WonderKind.REMINDED_OF, "my sister", recording_id=rec.id, frame=40)
    theme = notes.add(session.id, "theme", theme="T-OWN-CHILDHOOD")
    free = notes.add(session.id, "theme", "bath time")
    therapist = notes.add(session.id, "therapist", "she named his feeling")
    assert [n.id for n in notes.of_session(session.id)] == [felt.id, moment.id, theme.id, free.id, therapist.id]
    with pytest.raises(InvalidInput, match="unknown theme"):
        notes.add(session.id, "theme", theme="T-NOPE")
    with pytest.raises(InvalidInput, match="outside recording"):
        notes.add(session.id, "mother_observed", "x", recording_id=rec.id, frame=48)
    with pytest.raises(InvalidInput, match="empty"):
        notes.add(session.id, "mother_felt", "  ")
    before, _ = notes.update(felt.id, text="proud and tired")
    notes.restore_fields(before)
    assert notes.of_session(session.id)[0].text == "proud"
    gone = notes.delete(moment.id)
    notes.restore(gone)
    assert [n.id for n in notes.of_session(session.id)][1] == moment.id


def test_service_extension_adds_codes_in_the_library_folder(service, course):
    (service.path / OBSERVATION_EXTENSION).write_text(json.dumps({
        "format": "vigstudio-observations", "version": 2, "name": "Our service",
        "codes": [{"code": "X-TURN", "label": "Infant turns away to rest", "role": "initiative"}],
        "themes": [{"code": "T-SLEEP", "label": "Sleep"}]}))
    obs = Observations(service)
    assert obs.catalogue().code("X-TURN").is_initiative and not obs.catalogue().is_default("X-TURN")
    turn = obs.add(course["recording"].id, 5, "X-TURN")
    assert obs.add(course["recording"].id, 6, "M-FOLLOW", responds_to=turn.id).responds_to == turn.id
    WonderNotes(service).add(course["session"].id, "theme", theme="T-SLEEP")


def test_sessions_and_interventions_delete_only_when_empty(service, course):
    courses = course["courses"]
    with pytest.raises(InvalidInput, match="still holds recordings"):
        courses.delete_session(course["session"].id)
    with pytest.raises(InvalidInput, match="still has sessions"):
        courses.delete_intervention(course["intervention"].id)
    spare = courses.add_session(course["intervention"].id, TODAY + dt.timedelta(days=7))
    snapshot = courses.delete_session(spare.id)
    assert courses.restore_session(snapshot).id == spare.id
    assert find_session(service, spare.id).uid == spare.uid
    second = courses.add_intervention("F-021", "www", planned=10)
    gone = courses.delete_intervention(second.id)
    assert courses.restore_intervention(gone).planned_sessions == 10
    before, after = courses.update_intervention(second.id, status="completed", ended_on=TODAY)
    assert after.status.value == "completed"
    courses.restore_intervention_fields(before)
    assert courses.intervention(second.id) == second
    with pytest.raises(InvalidInput, match="planned sessions"):
        courses.add_intervention("F-021", "www", planned=0)
