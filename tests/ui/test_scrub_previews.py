"""Dragging the playhead in the real editor: the picture shown for each position passed over is that
position's own frame (its scrubbing preview at once, the decoded frame after), never a stale one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.test_editor_support import make_library, open_editor, shown_number
from tests.videos import make_video
from vigstudio.app import proxies
from vigstudio.app.tree import library_tree

FRAMES = 150  # one 6 s GOP with B-frames: every full-resolution jump decodes from frame 0


@pytest.fixture(scope="module")
def long_gop_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("videos") / "long_gop.mp4", frames=FRAMES, fps=25,
                      size=(640, 360), gop=FRAMES, bframes=3)


@pytest.fixture
def library(tmp_path, passphrase, long_gop_video):
    service, session_id = make_library(tmp_path / "lib", passphrase, long_gop_video)
    yield service, session_id
    service.close()


def _ruler_y(timeline) -> int:
    return int(timeline.lanes.ruler.top + timeline.lanes.ruler.height / 2)


def _assert_showing(window, frame: int) -> None:
    """Checked right after the mouse event, before any queued decode result can arrive."""
    assert window.timeline.playhead == frame
    assert window.view.frame_index() == frame
    assert shown_number(window) == frame
    assert window.playback.current_frame == frame


def test_each_position_dragged_over_shows_its_own_frame(qtbot, library):
    service, session_id = library
    recording = library_tree(service)[0].interventions[0].cycles[0].sessions[0].recordings[0]
    proxies.build_proxy(service, recording.id)
    window = open_editor(qtbot, service, session_id)
    try:
        timeline = window.timeline
        assert window.playback.player.has_proxy
        y = _ruler_y(timeline)
        path = [100, 101, 103, 102, 99, 60, 61, 62, 140, 3, 4, 77]
        assert len({round(timeline.frame_center_x(f)) for f in path}) == len(set(path))  # one x per frame
        qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.frame_center_x(90)), y))
        _assert_showing(window, 90)
        previews = 0
        for frame in path:
            qtbot.mouseMove(timeline, QPoint(round(timeline.frame_center_x(frame)), y))
            _assert_showing(window, frame)
            previews += window.view.is_preview()
        assert previews == len(path)  # while dragging, every picture came from the previews at once
        qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.frame_center_x(77)), y))
        # the decoded, full-resolution frame replaces the preview of the frame the drag ended on
        qtbot.waitUntil(lambda: not window.view.is_preview(), timeout=10000)
        _assert_showing(window, 77)
    finally:
        window.close()


def test_a_recording_without_previews_gets_them_made_while_it_is_open(qtbot, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    try:
        qtbot.waitUntil(lambda: window.playback.player.has_proxy, timeout=30000)
        assert window.preview_status.text() == ""
        recording_id = window.recording.id
        assert proxies.has_proxy(service, recording_id)
        window.playback.scrub(120)
        assert window.view.is_preview()
        _assert_showing(window, 120)
    finally:
        window.close()


def test_closing_the_editor_stops_a_build_and_leaves_nothing(qtbot, library):
    service, session_id = library
    media = service.path / "media"
    before = {p.name for p in media.iterdir()}
    window = open_editor(qtbot, service, session_id)
    assert window.playback.previews.running
    window.close()
    qtbot.waitUntil(lambda: {p.name for p in media.iterdir()} == before, timeout=30000)
    qtbot.wait(200)
    recording_id = library_tree(service)[0].interventions[0].cycles[0].sessions[0].recordings[0].id
    assert not proxies.has_proxy(service, recording_id)


def test_frames_are_converted_at_the_size_the_view_shows_them(qtbot, long_gop_video):
    from vigstudio.media import open_media
    from vigstudio.ui.player import Player

    with open_media(long_gop_video) as source:
        player = Player(source)
        shown = []
        player.frameChanged.connect(lambda i, image: shown.append((i, image.width(), image.height())))
        try:
            qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == 0)
            assert shown[-1][1:] == (640, 360)  # no view size: full size
            player.set_view_size(320, 400)  # a narrow view: the width decides
            qtbot.waitUntil(lambda: shown[-1][1:] == (320, 180))
            player.seek(40)
            qtbot.waitUntil(lambda: shown[-1][0] == 40)
            assert shown[-1][1:] == (320, 180)
            player.set_view_size(1920, 1080)  # never enlarged: full size again
            qtbot.waitUntil(lambda: shown[-1][1:] == (640, 360))
            assert shown[-1][0] == 40
        finally:
            player.close()
