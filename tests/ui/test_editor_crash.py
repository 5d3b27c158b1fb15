# ruff: noqa: F401, F811  (pytest fixtures imported from the support module are redefined as arguments)
"""Killing the app right after an edit loses nothing: a separate process opens the library through
the app layer, makes edits in a real editor window with the same keys (and so the same undoable
commands) a practitioner uses, says so, and is SIGKILLed. The library then holds every edit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.ui.test_editor_support import library_state, make_library, numbered_video
from vigstudio.app.library import LibraryService

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from vigstudio.app.library import LibraryService
from vigstudio.ui.editor import EditorWindow

path, passphrase, session_id = sys.argv[1], sys.stdin.readline().rstrip("\n"), int(sys.argv[2])
app = QApplication([])
service = LibraryService()
service.open(path, passphrase)
window = EditorWindow(service, session_id)
window.show()

def wait_for(condition):
    while not condition():  # the decoder's answer arrives as a queued event: wait for events, no sleeps
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

def key(k):
    QTest.keyClick(QApplication.focusWidget() or window, k)

wait_for(lambda: window.view.frame_index() == 0)
window.timeline.setFocus()
window.playback.seek(10); wait_for(lambda: window.view.frame_index() == 10)
key(Qt.Key.Key_I)
window.playback.seek(20); wait_for(lambda: window.view.frame_index() == 20)
key(Qt.Key.Key_O)
key(Qt.Key.Key_C)
key(Qt.Key.Key_S)
QTest.keyClicks(QApplication.focusWidget(), "You waited")
key(Qt.Key.Key_Escape)
print("edited", flush=True)
sys.stdin.read()  # wait, with the window open, until killed
"""


def test_an_edit_survives_the_app_being_killed(tmp_path, passphrase, numbered_video):
    service, session_id = make_library(tmp_path / "lib", passphrase, numbered_video)
    service.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "lib"), str(session_id)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, env=env, cwd=tmp_path)
    try:
        child.stdin.write(passphrase + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "edited"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    reopened = LibraryService()
    reopened.open(tmp_path / "lib", passphrase)
    try:
        state = library_state(reopened, session_id)
        assert [(c.start_frame, c.end_frame) for c, _ in state["clips"]] == [(10, 21)]
        assert [(s.frame, s.caption) for s in state["stills"]] == [(20, "You waited")]
        assert reopened.check().ok
    finally:
        reopened.close()
