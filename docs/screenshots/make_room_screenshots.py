"""Screenshots of the path a practitioner takes in the room, at a clinic laptop's 1366×768 with one
screen (needs Xvfb and ImageMagick's `import`):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_room_screenshots.py [OUT_DIR]

The demo library as the app makes it (generated sample recording, clips, tags, captioned stills,
supervisor comments; no real family), opened in the library window; the editor as it first opens on
that screen; then F5 from the editor: the one-screen review, with the presenter strip called up (P)
and the parent's words being typed unseen (W); and the leave-review box after a wrong passphrase.
"""

from __future__ import annotations

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from shots import TMP, shoot

from vigstudio.app.demo import create_demo_library
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.main_window import MainWindow

SETTLE_MS = 900


def main() -> int:
    app = make_application()
    service = LibraryService()
    recording = create_demo_library(service, TMP / "Demo library")
    steps = shots.Steps(app, SETTLE_MS)
    then, then_when = steps.then, steps.then_when
    state: dict = {}

    def library_window() -> None:
        window = MainWindow(service)
        install_features(window)
        window.setGeometry(window.screen().availableGeometry())
        window.show()
        state["main"] = window

    def select_first_clip() -> None:
        window = state["main"]
        clip = next(n for n in window.model.all_nodes() if n.kind == NodeKind.CLIP)
        window.tree.select_key(clip.key)

    def open_editor() -> None:
        editor = state["main"].editor_launcher.open(recording.session_id)
        state["editor"] = editor

    def select_clip(number: int) -> None:
        editor = state["editor"]
        editor.clips_panel.select_clip(editor.data.clips[number - 1].clip.id)
        editor.go_to_clip(editor.data.clips[number - 1].clip.id)

    def export_dialog() -> None:
        from vigstudio.ui.review.export_dialog import ExportDialog

        dialog = ExportDialog(service, recording.session_id, state["main"])
        dialog.what_combo.setCurrentIndex(2)
        dialog.show()
        state["dialog"] = dialog

    def session_tab() -> None:
        editor = state["editor"]
        editor.session_dock.raise_()

    def f5() -> None:
        editor = state["editor"]
        editor.activateWindow()
        QTest.keyClick(editor.timeline, Qt.Key.Key_F5)
        state["mode"] = state["main"].review_mode

    def mode():
        return state["mode"]

    def key(k) -> None:
        QTest.keyClick(mode().family, k)

    def wrong_passphrase() -> None:
        guard = mode().request_exit()
        QTest.keyClicks(guard.secret_edit, "not the passphrase")
        QTest.keyClick(guard.secret_edit, Qt.Key.Key_Return)
        state["guard"] = guard

    then(library_window, 1500)
    then(select_first_clip)
    then(lambda: shoot("room-library-clip"))
    then(open_editor, 2500)
    then(lambda: shoot("room-editor-first-open"))
    then(lambda: select_clip(2), 1500)
    then(lambda: shoot("room-editor-clip"))
    then(session_tab)
    then(lambda: shoot("room-editor-session"))
    then(lambda: state["editor"].principles_dock.raise_(), 300)
    then(export_dialog)
    then(lambda: state["dialog"].what_combo.showPopup())
    then(lambda: shoot("room-export-what"))
    then(lambda: state["dialog"].what_combo.hidePopup(), 300)
    then(lambda: state["dialog"].close(), 300)
    then(f5, 2500)
    then_when(lambda: mode().controller.current_frame is not None, then_ms=1800)
    then(lambda: shoot("room-review-one-screen"))
    then(lambda: key(Qt.Key.Key_P))
    then(lambda: shoot("room-review-strip"))
    then(lambda: key(Qt.Key.Key_Right), 1500)
    then(lambda: key(Qt.Key.Key_W), 300)
    then(lambda: QTest.keyClicks(mode().family.strip.words_edit, "I didn't know he was watching me"))
    then(lambda: shoot("room-review-strip-words"))
    then(lambda: QTest.keyClick(mode().family.strip.words_edit, Qt.Key.Key_Return))
    then(lambda: shoot("room-review-strip-saved"))
    then(lambda: key(Qt.Key.Key_Down), 300)
    then(lambda: shoot("room-review-speed-notice"), 100)
    then(wrong_passphrase, 2500)
    then(lambda: shoot("room-leave-review-wrong", state["guard"]))
    then(lambda: mode().end(), 500)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
