"""A WWW session through a supervision bundle and back: its recording, observations (with a service's
own code, whose definition travels), Wonder notes, attendance; the supervisor's comment on the WWW
recording goes back in a feedback bundle to the practitioner's own recording and frame."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.videos import make_video, read_frame_number
from vigstudio.app import bundles, editing, feedback, keys
from vigstudio.app.importing import import_recording
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.app.www.observations import OBSERVATION_EXTENSION
from vigstudio.domain.errors import ConsentMissing

from .support import CODE, introduce, practitioner_library, supervisor_library

OWN_CODE = {"code": "X-TURN", "label": "Infant turns away to rest", "role": "initiative", "colour": "#123456"}


def _www_session(practice, tmp_path):
    service = practice.service
    (service.path / OBSERVATION_EXTENSION).write_text(json.dumps({
        "format": "vigstudio-observations", "version": 1, "codes": [OWN_CODE]}))
    courses = Courses(service)
    course = courses.add_intervention(CODE, "www", planned=14)
    session = courses.add_session(course.id, dt.date(2026, 10, 5), attendees=["mother", "father"])
    video = make_video(tmp_path / "www.mp4", frames=40, size=(160, 120), gop=10)
    recording = import_recording(service, CODE, video, session_id=session.id)
    obs = Observations(service)
    reach = obs.add(recording.id, 10, "I-REACH", end_frame=14, text="reaches")
    follow = obs.add(recording.id, 14, "M-FOLLOW", responds_to=reach.id, coder="Second coder")
    turn = obs.add(recording.id, 30, "X-TURN")
    WonderNotes(service).add(session.id, "mother_observed", "he wanted the cup", observation_id=reach.id)
    WonderNotes(service).add(session.id, "theme", theme="T-PLAY")
    return session, recording, (reach, follow, turn)


def test_a_www_session_goes_to_the_supervisor_and_comments_come_back(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    session, recording, (reach, follow, turn) = _www_session(practice, tmp_path)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)  # signed bundles: each knows the other's contact card
    bundle = tmp_path / "www.age"
    made = bundles.export_session_bundle(practice.service, session.id, bundle, [keys.public_key(supervisor)])
    assert made.clips == 0
    opened = bundles.open_bundle(supervisor, bundle)

    [case] = [n for n in library_tree(supervisor) if n.case.code == CODE]
    [(intervention, cycle, node)] = case.sessions()
    assert (intervention.kind.value, intervention.planned_sessions, cycle) == ("www", 14, None)
    got = node.session
    assert (got.kind.value, got.date, got.attendees, got.id) == ("www", session.date, ("mother", "father"),
                                                                 opened.session_id)
    [www_recording] = node.recordings
    assert www_recording.sha256 == recording.sha256 and www_recording.frame_count == 40
    sup_obs = Observations(supervisor)
    seen = sup_obs.of_session(got.id)
    assert [(o.frame, o.end_frame, o.code, o.text, o.coder) for o in seen] == [
        (10, 14, "I-REACH", "reaches", ""), (14, None, "M-FOLLOW", "", "Second coder"), (30, None, "X-TURN", "", "")]
    assert seen[1].responds_to == seen[0].id and [o.uid for o in seen] == [reach.uid, follow.uid, turn.uid]
    # the service's own code came with its definition; the supervisor's library shows its label
    assert sup_obs.catalogue().code("X-TURN").label == OWN_CODE["label"]
    notes = WonderNotes(supervisor).of_session(got.id)
    assert [(n.kind.value, n.text, n.theme) for n in notes] == [
        ("mother_observed", "he wanted the cup", None), ("theme", "", "T-PLAY")]
    assert notes[0].observation_id == seen[0].id
    media = open_recording_media(supervisor, www_recording.id)
    try:  # the observation's frame shows the same picture on the supervisor's side
        assert read_frame_number(media.frame(seen[2].frame)) == 30
    finally:
        media.close()
    # the supervisor's work there is comments; the practitioner's observations are read-only
    with pytest.raises(Exception, match="read-only"):
        sup_obs.add(www_recording.id, 5, "SHARED")
    feedback.add_comment(supervisor, got.id, "lovely waiting here", author="Supervisor",
                         recording_id=www_recording.id, frame=12)
    back = tmp_path / "feedback.age"
    feedback.export_feedback_bundle(supervisor, case.case.code, back, [keys.public_key(practice.service)])
    bundles.open_bundle(practice.service, back)
    [comment] = feedback.comments(practice.service, session.id)
    assert (comment.recording_id, comment.frame, comment.text) == (recording.id, 12, "lovely waiting here")
    practice.service.close()
    supervisor.close()


def test_a_www_bundle_needs_supervision_consent(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_consent=False)
    session, _recording, _ = _www_session(practice, tmp_path)
    supervisor = supervisor_library(tmp_path, passphrase)
    with pytest.raises(ConsentMissing):
        bundles.export_session_bundle(practice.service, session.id, tmp_path / "x.age", [keys.public_key(supervisor)])
    assert not (tmp_path / "x.age").exists()
    practice.service.close()
    supervisor.close()


def test_a_vig_bundle_is_unchanged_for_a_combined_case(tmp_path, passphrase):
    """The VIG session of a case that also has a WWW course still travels as before (cycle, clips)."""
    practice = practitioner_library(tmp_path, passphrase)
    _www_session(practice, tmp_path)
    editing.set_helping_question(practice.service, editing.cycle_of_session(practice.service, practice.session_id).id, "bedtime")
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    bundle = tmp_path / "vig.age"
    bundles.export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)])
    opened = bundles.open_bundle(supervisor, bundle)
    assert opened.clips == 2
    [case] = [n for n in library_tree(supervisor) if n.case.code == CODE]
    [(intervention, cycle, node)] = case.sessions()
    assert (intervention.kind.value, cycle.number, cycle.helping_question) == ("vig", 1, "bedtime")
    assert Observations(supervisor).of_session(node.session.id) == []
    practice.service.close()
    supervisor.close()
