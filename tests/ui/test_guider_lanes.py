"""The guider's lanes on the shared-review timeline, driven through the real editors and real signed
bundles: the trainee tags their review (self-assessment, undoable), sends it; the supervisor sees the
tags in their own lane and rates the guider with the Comments panel's "Rates the guider"; the feedback
bundle comes back and the trainee's review timeline shows the ratings in the supervisor's lane, at their
exact frames, apart from ordinary comments."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.bundle.support import CODE, introduce, practitioner_library, supervisor_library
from tests.ui.test_editor_support import open_editor, shown_number, wait_for_frame
from vigstudio.app import bundles, feedback, guider, keys
from vigstudio.app.tree import library_tree
from vigstudio.ui.editor.guider_lanes import RATINGS_LANE, SELF_LANE


def lanes(window) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """Each moment lane on the timeline: its label and its moments' (frame, code)."""
    return {lane.key: (lane.label, [(m.frame, m.code) for m in lane.moments]) for lane in window.timeline.moment_lanes}


def moment_point(window, key: str, frame: int) -> QPoint:
    timeline = window.timeline
    index = [lane.key for lane in timeline.moment_lanes].index(key)
    band = timeline.lanes.moments[index]
    return QPoint(round(timeline.frame_center_x(frame)), round((band.top + band.bottom) / 2))


def tag_here(qtbot, window, principle: str, words: str) -> None:
    box = window.supervision.guider.box
    box.principle.setCurrentIndex(box.principle.findData(principle))
    box.text.setFocus()
    qtbot.keyClicks(box.text, words)
    qtbot.keyClick(box.text, Qt.Key.Key_Return)


def test_self_assessment_and_ratings_go_round_trip_onto_the_review_timeline(qtbot, tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_review=True)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    try:
        # -- the trainee, on their shared review: an empty lane of their own, and the box to tag with
        mine = open_editor(qtbot, practice.service, practice.review_session_id)
        review_id = mine.recording.id
        assert lanes(mine) == {RATINGS_LANE: ("Supervisor's rating", []),
                               SELF_LANE: ("Your self-assessment", [])}
        box = mine.supervision.guider.box
        assert box.isVisibleTo(mine) and not mine.supervision.panel.rates_guider.isVisibleTo(mine)
        mine.playback.seek(12)
        wait_for_frame(qtbot, mine, 12)
        tag_here(qtbot, mine, "P3", "I named what she said")
        mine.playback.seek(25)
        wait_for_frame(qtbot, mine, 25)
        tag_here(qtbot, mine, "P5", "I waited")
        qtbot.waitUntil(lambda: lanes(mine)[SELF_LANE][1] == [(12, "P3"), (25, "P5")])
        # undo and redo (one step each), and Remove at the frame on screen
        mine.undo_stack.undo()
        qtbot.waitUntil(lambda: lanes(mine)[SELF_LANE][1] == [(12, "P3")])
        mine.undo_stack.redo()
        qtbot.waitUntil(lambda: lanes(mine)[SELF_LANE][1] == [(12, "P3"), (25, "P5")])
        assert box.remove_button.isEnabled()
        qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: lanes(mine)[SELF_LANE][1] == [(12, "P3")])
        mine.undo_stack.undo()
        qtbot.waitUntil(lambda: lanes(mine)[SELF_LANE][1] == [(12, "P3"), (25, "P5")])
        # a click on the lane's moment goes to its frame
        qtbot.mouseClick(mine.timeline, Qt.MouseButton.LeftButton, pos=moment_point(mine, SELF_LANE, 12))
        wait_for_frame(qtbot, mine, 12)
        assert "I named what she said" in mine.timeline.tooltip_at(*moment_point(mine, SELF_LANE, 12).toTuple())
        mine.close()

        # -- sent to the supervisor with the review recording
        bundle = tmp_path / "session.age"
        bundles.export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)],
                                      with_review_recording=True)
        bundles.open_bundle(supervisor, bundle)
        node = next(n for n in library_tree(supervisor) if n.case.code == CODE).sessions()[0][2]
        theirs = open_editor(qtbot, supervisor, node.session.id)
        [review] = [r for r in theirs.data.recordings if "review_sha256" in bundles.origin_of(supervisor, r.id)]
        panel = theirs.supervision.panel
        assert theirs.timeline.moment_lanes == [] and panel.rates_guider.isHidden()  # a clip: no guider lanes
        theirs.chrome.recording_picker.setCurrentIndex(theirs.chrome.recording_picker.findData(review.id))
        qtbot.waitUntil(lambda: theirs.recording.id == review.id and theirs.view.frame_index() == 0)
        qtbot.waitUntil(lambda: bool(theirs.timeline.moment_lanes))
        assert lanes(theirs) == {RATINGS_LANE: ("Your rating", []),
                                 SELF_LANE: ("Trainee's self-assessment", [(12, "P3"), (25, "P5")])}
        assert not theirs.supervision.guider.box.isVisibleTo(theirs)  # read-only here
        assert not panel.rates_guider.isHidden()

        # the supervisor rates the guider at frame 7 (P3), and writes an ordinary comment at frame 20
        theirs.playback.seek(7)
        wait_for_frame(qtbot, theirs, 7)
        panel.principle.setCurrentIndex(panel.principle.findData("P3"))
        panel.rates_guider.setChecked(True)
        panel.text.setFocus()
        qtbot.keyClicks(panel.text, "you named what she said")
        qtbot.keyClick(panel.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: lanes(theirs)[RATINGS_LANE][1] == [(7, "P3")])
        assert any("rates the guider" in row for row in panel.rows_text())
        theirs.undo_stack.undo()  # taken back and given again: one step each
        qtbot.waitUntil(lambda: lanes(theirs)[RATINGS_LANE][1] == [])
        theirs.undo_stack.redo()
        qtbot.waitUntil(lambda: lanes(theirs)[RATINGS_LANE][1] == [(7, "P3")])
        theirs.playback.seek(20)
        wait_for_frame(qtbot, theirs, 20)
        panel.rates_guider.setChecked(False)
        panel.text.setFocus()
        qtbot.keyClicks(panel.text, "a lovely moment")
        qtbot.keyClick(panel.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(feedback.comments(supervisor, node.session.id)) == 2)
        assert lanes(theirs)[RATINGS_LANE][1] == [(7, "P3")]  # the ordinary comment is not in the lane
        theirs.close()

        # -- back home: the supervisor's lane on the trainee's review timeline, at the exact frames
        back = tmp_path / "feedback.age"
        feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
        assert bundles.open_bundle(practice.service, back).comments_added == 2
        home = open_editor(qtbot, practice.service, practice.review_session_id)
        assert home.recording.id == review_id
        assert lanes(home) == {RATINGS_LANE: ("Supervisor's rating", [(7, "P3")]),
                               SELF_LANE: ("Your self-assessment", [(12, "P3"), (25, "P5")])}
        qtbot.mouseClick(home.timeline, Qt.MouseButton.LeftButton, pos=moment_point(home, RATINGS_LANE, 7))
        wait_for_frame(qtbot, home, 7)
        assert shown_number(home) == 7
        tip = home.timeline.tooltip_at(*moment_point(home, RATINGS_LANE, 7).toTuple())
        assert "Supervisor's rating" in tip and "you named what she said" in tip and "frame 7" in tip
        # the review's editor lists them too (they belong to the session the bundle was made from)
        rows = home.supervision.panel.rows_text()
        assert any(r.startswith("Shared review · frame 7") and "rates the guider" in r for r in rows)
        assert any(r.startswith("Shared review · frame 20") and "rates the guider" not in r for r in rows)
        between = home.timeline.tooltip_at(*moment_point(home, RATINGS_LANE, 20).toTuple())
        assert "ratings of you as guider" in between  # the lane says what it shows, between its moments
        # the lanes sit between the clips and the thumbnails, and the thumbnails keep their height
        timeline = home.timeline
        assert timeline.lanes.clips.bottom < timeline.lanes.moments[0].top < timeline.lanes.moments[1].top \
            < timeline.lanes.thumbs.top
        [ordinary] = [c for c in feedback.comments(practice.service, practice.session_id) if not c.rates_guider]
        assert ordinary.frame == 20
        assert [c.frame for c in guider.guider_moments(practice.service, review_id).ratings] == [7]
        home.close()
    finally:
        practice.service.close()
        supervisor.close()


def test_lane_labels_say_whose_moments_they_are():
    from vigstudio.ui.editor.guider_lanes import lane_descriptions, lane_labels

    assert lane_labels(True, ["Dr Ada"], ["me"]) == ("Supervisor's rating", "Your self-assessment")
    assert lane_labels(False, [], ["Sam"]) == ("Your rating", "Trainee's self-assessment")
    assert "(Dr Ada, Dr Bo)" in lane_descriptions(True, ["Dr Bo", "Dr Ada", "Dr Ada"], [])[0]
    assert "(Sam Trainee)" in lane_descriptions(False, [], ["Sam Trainee"])[1]


def test_moment_lanes_grow_the_timeline_and_keep_the_other_lanes(qtbot):
    from vigstudio.ui.timeline import TimelineMomentLane, TimelineObservation, TimelineWidget
    from vigstudio.ui.timeline.lanes import MOMENT_LANE_HEIGHT, Lanes

    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.set_recording([i / 25 for i in range(50)])
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.resize(800, timeline.minimumHeight())
    qtbot.waitUntil(lambda: timeline.height() == timeline.minimumHeight())
    before = timeline.lanes
    plain_minimum = timeline.minimumHeight()
    timeline.set_moment_lanes([TimelineMomentLane("a", "A", (TimelineObservation(1, 10, code="P1"),)),
                               TimelineMomentLane("b", "B")])
    assert timeline.minimumHeight() == plain_minimum + int(Lanes.moments_height(2))
    timeline.resize(800, timeline.minimumHeight())
    qtbot.waitUntil(lambda: timeline.height() == timeline.minimumHeight())
    after = timeline.lanes
    assert [b.height for b in after.moments] == [MOMENT_LANE_HEIGHT] * 2
    assert (after.thumbs.height, after.wave.height) == (before.thumbs.height, before.wave.height)
    timeline.set_moment_lanes([])
    assert timeline.minimumHeight() == plain_minimum and timeline.lanes.moments == ()
