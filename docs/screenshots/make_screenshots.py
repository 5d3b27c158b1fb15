"""Regenerate the GUI shell screenshots in this folder (needs Xvfb and ImageMagick's `import`).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/make_screenshots.py [OUT_DIR]

Everything is made in a temporary folder (libraries with fast key derivation, a generated sample
recording, a throw-away settings folder: see shots.py); no real family data is involved. The real
windows are driven step by step from timers and the X screen is captured with `import -window root`.
"""

from __future__ import annotations

from pathlib import Path

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from shots import PASSPHRASE, TMP, sample_recording, sample_video, shoot

from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import Shell, make_application
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.main_window import MainWindow

SETTLE_MS = 700


def library_with_cases() -> LibraryService:
    service = LibraryService()
    service.create(TMP / "Clinic library", PASSPHRASE)
    add_case(service, "F-014", referral="health_visitor")
    add_case(service, "F-015", referral="midwifery")
    add_case(service, "F-021", referral="mental_health")
    for code, seconds, name in (("F-014", 12, "MVI_0412.MP4"), ("F-014", 8, "MVI_0419.MP4"),
                                ("F-015", 6, "VID_20261103_101522.mp4")):
        sample_recording(service, code, seconds, name)
    return service


def main() -> int:
    app = make_application()
    steps = shots.Steps(app, SETTLE_MS)
    then = steps.then
    state: dict = {}

    def first_start():
        state["shell"] = Shell(None)
        state["shell"].start()
        state["shell"].unlock_window.move(360, 120)

    def create_page():
        window = state["shell"].unlock_window
        window.show_create(str(Path.home() / "VIG Studio Library"))
        window.new_passphrase_edit.setText("short")
        window.repeat_passphrase_edit.setText("short")
        window.submit_create()

    def empty_state():
        state["shell"].unlock_window.hide()
        service = LibraryService()
        service.create(TMP / "New library", PASSPHRASE)
        window = MainWindow(service)
        window.resize(1180, 720)
        window.move(50, 40)
        window.show()
        state["empty"] = window

    def library():
        state["empty"].close()
        window = MainWindow(library_with_cases())
        window.resize(1180, 720)
        window.move(50, 40)
        window.show()
        recording = [n for n in window.model.all_nodes() if n.kind == NodeKind.RECORDING][0]
        window.tree.setCurrentIndex(window.model.index_for_key(recording.key))
        state["library"] = window

    def session_selected():
        window = state["library"]
        session = [n for n in window.model.all_nodes() if n.kind == NodeKind.SESSION][0]
        window.tree.setCurrentIndex(window.model.index_for_key(session.key))

    def locked():
        state["library"].lock("Locked after 5 minutes without use.")

    def wrong_passphrase():
        state["library"].unlock("not the passphrase")

    def demo():
        window = state["shell"].unlock_window
        window.show_welcome()
        window.show()
        window.start_demo()

    def unlock_page():
        window = state["shell"].unlock_window
        window.show_unlock(str(TMP / "Clinic library"))
        window.passphrase_edit.setText("not the passphrase")
        window.submit_unlock()

    def importing():
        video = TMP / "MVI_0433.MP4"
        with open(video, "wb") as file:
            sample_video(file, 90)
        window = state["library"]
        window.import_files([str(video)], case_code="F-021")

    def demo_window():
        window = state["shell"].main_window
        window.resize(1180, 720)
        window.move(50, 40)
        session = [n for n in window.model.all_nodes() if n.kind == NodeKind.SESSION][0]
        window.tree.setCurrentIndex(window.model.index_for_key(session.key))

    unlock = lambda: state["shell"].unlock_window  # noqa: E731
    then(first_start)
    then(lambda: shoot("first-start", unlock()), 100)
    then(create_page)
    then(lambda: shoot("create-library-short-passphrase", unlock()), 100)
    then(empty_state)
    then(lambda: shoot("empty-state", state["empty"]), 100)
    then(library, 1200)
    then(lambda: shoot("library-recording", state["library"]), 100)
    then(session_selected)
    then(lambda: shoot("library-session", state["library"]), 100)
    then(importing, 900)
    then(lambda: shoot("import-progress", state["library"]), 100)
    then(lambda: None, 8000)
    then(locked)
    then(lambda: shoot("lock-screen", state["library"]), 100)
    then(wrong_passphrase, 1500)
    then(lambda: shoot("lock-screen-wrong-passphrase", state["library"]), 100)
    then(lambda: (state["library"].close(), state["shell"].unlock_window.show(), unlock_page()), 1500)
    then(lambda: shoot("unlock-wrong-passphrase", unlock()), 100)
    then(demo, 6000)
    then(demo_window)
    then(lambda: shoot("demo-library", state["shell"].main_window), 100)
    steps.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
