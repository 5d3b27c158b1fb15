"""A case with a VIG intervention and a WWW course side by side, end to end through the real parts:
both interventions' sessions under the case, a WWW recording cut into clips for a VIG shared review,
the review's playlist, the closing letter still about VIG, the list --json shape."""

from __future__ import annotations

import datetime as dt

from tests.videos import read_frame_number
from vigstudio.app import consent, editing, letter, review
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.importing import import_recording
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.app.www import Courses, Observations
from vigstudio.domain.model import InterventionKind, SessionKind


def test_a_combined_vig_and_www_case(service, video, tmp_path):
    add_case(service, "F-030")
    consent.add(service, "F-030", ["storage", "keepsake"], recorded_by="HV Jones")
    vig_recording = import_recording(service, "F-030", video)  # a VIG filming session in cycle 1
    courses = Courses(service)
    course = courses.add_intervention("F-030", "www")
    www_session = courses.add_session(course.id, dt.date(2026, 11, 2), attendees=["mother"])
    www_recording = import_recording(service, "F-030", video, session_id=www_session.id)
    Observations(service).add(www_recording.id, 10, "SHARED", end_frame=20)

    # the WWW recording cut into a clip, tagged and captioned, for the VIG shared review
    editing.set_helping_question(service, editing.cycle_of_session(service, vig_recording.session_id).id, "enjoy play")
    review_session = add_session(service, "F-030", SessionKind.SHARED_REVIEW)
    clip = editing.add_clip(service, www_recording.id, 10, 20, "you both laughed")
    editing.tag_clip(service, clip.id, "P4", text="having fun")
    editing.add_still(service, www_recording.id, 15, "Together")
    items = review.playlist(service, www_session.id)
    assert [i.is_still for i in items] == [False, True]  # the review plays the clip, then pauses on the still
    assert items[0].frame == 10
    media = open_recording_media(service, www_recording.id)
    try:
        assert read_frame_number(media.frame(items[0].frame)) == 10
    finally:
        media.close()

    # both interventions' sessions appear under the case
    [case] = [n for n in library_tree(service) if n.case.code == "F-030"]
    kinds = [(i.kind, c.number if c else None, s.session.kind) for i, c, s in case.sessions()]
    assert (InterventionKind.VIG, 1, SessionKind.FILMING) in kinds
    assert (InterventionKind.VIG, 1, SessionKind.SHARED_REVIEW) in kinds
    assert (InterventionKind.WWW, None, SessionKind.WWW) in kinds
    doc = case.to_json()
    assert {i["kind"] for i in doc["interventions"]} == {"vig", "www"}
    assert review_session.id in {s["id"] for s in doc["sessions"]}

    # the closing letter is still about the VIG cycles by default
    draft = letter.draft_text(service, "F-030")
    assert "VIG" in draft and "enjoy play" in draft
