"""Watching is use: while a recording plays in the editor or in the shared review, the library does not
lock itself for want of a key press; when playback stops, the idle countdown starts again. Real
library, real generated video played on the wall clock (there is no sound device here)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt

from tests.app.test_review import make_review_session
from tests.ui.shell_support import make_library, open_window
from tests.videos import make_video
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.ui.autolock import IdleWatcher, KeepAwake, keep_awake
from vigstudio.ui.review.controller import ReviewController

IDLE_MS = 250
FRAMES, FPS = 75, 25  # 3 s of playback: many idle timeouts long


@pytest.fixture(autouse=True)
def _no_hold_left_behind():
    assert not keep_awake().active
    yield
    assert not keep_awake().active  # every player lets go when it stops or closes


def test_a_hold_keeps_the_watcher_from_firing_and_letting_go_restarts_the_count(qtbot):
    awake = KeepAwake()
    watcher = IdleWatcher(IDLE_MS, awake=awake)
    owner = QObject()
    awake.hold(owner)
    watcher.start()
    with qtbot.assertNotEmitted(watcher.idle, wait=4 * IDLE_MS):
        pass
    assert watcher.active  # still counting, from the last timeout on
    awake.release(owner)
    assert watcher._timer.remainingTime() > IDLE_MS // 2  # letting go counts as use: a full count
    with qtbot.waitSignal(watcher.idle, timeout=5000):
        pass
    watcher.stop()


def test_a_holder_destroyed_without_letting_go_is_forgotten(qtbot):
    awake = KeepAwake()
    changes: list[bool] = []
    awake.changed.connect(changes.append)
    first, second = QObject(), QObject()
    awake.hold(first)
    awake.set_held(second, True)
    awake.hold(first)  # holding twice is one hold
    awake.release(first)
    assert awake.active
    with qtbot.waitSignal(second.destroyed):
        second.deleteLater()
    assert not awake.active and changes == [True, False]


def test_playing_in_the_editor_keeps_the_library_unlocked(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    video = make_video(tmp_path / "visit.mp4", frames=FRAMES, fps=FPS, audio="aac")
    recording = import_recording(service, "F-014", video)
    window = open_window(qtbot, service, idle_timeout_ms=60_000)
    locks: list[bool] = []
    window.lock_changed.connect(locks.append)
    editor = window.editor_launcher.open(recording.session_id)
    qtbot.waitUntil(lambda: editor.view.frame_index() == 0, timeout=5000)
    window.idle_watcher.set_timeout_ms(IDLE_MS)  # short only now: opening the editor takes a moment

    qtbot.mouseClick(editor.transport.play_button, Qt.MouseButton.LeftButton)
    assert editor.playback.playing and keep_awake().active
    # Nobody touches anything while 2.4 s of it play (about ten idle timeouts): no lock.
    qtbot.waitUntil(lambda: editor.playback.current_frame >= FRAMES - 15, timeout=10_000)
    assert locks == [] and not window.locked and editor.isVisible()

    # At the end playback stops: from then on the idle countdown runs and the library locks.
    qtbot.waitUntil(lambda: not editor.playback.playing, timeout=10_000)
    assert not keep_awake().active
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert locks == [True] and window.editor_launcher.editors == {}  # locking closed the editor


def test_shuttling_back_counts_as_playing(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    video = make_video(tmp_path / "visit.mp4", frames=FRAMES, fps=FPS)
    recording = import_recording(service, "F-014", video)
    window = open_window(qtbot, service, idle_timeout_ms=60_000)
    editor = window.editor_launcher.open(recording.session_id)
    editor.playback.go_end()
    qtbot.waitUntil(lambda: editor.view.frame_index() == FRAMES - 1, timeout=5000)
    editor.playback.shuttle_back()  # J: silent stepping backwards, the player itself paused
    assert not editor.playback.playing and keep_awake().active
    editor.playback.toggle()  # K stops it
    assert not keep_awake().active
    editor.close()


def test_review_playback_holds_while_a_clip_plays(qtbot, tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    controller = ReviewController(service, session.session_id)
    controller.start()
    qtbot.waitUntil(lambda: controller.current_frame is not None, timeout=5000)
    controller.toggle_play()
    qtbot.waitUntil(lambda: controller.playing, timeout=5000)
    assert keep_awake().active
    # The clip ends by itself and pauses on its last frame: the hold goes with it.
    qtbot.waitUntil(lambda: not controller.playing, timeout=10_000)
    assert not keep_awake().active
    controller.toggle_play()  # played again, then the review closes while it plays
    qtbot.waitUntil(lambda: controller.playing, timeout=5000)
    assert keep_awake().active
    controller.close()
    service.close()
