"""Run by test_review_screens.py in a child process whose Qt has the screens it was given (the offscreen
platform's screen configuration is read once, when the application starts). Starts a real review on
a real library and prints, as JSON, where every window went. (No tests in here.)"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.app.test_review import make_review_session
from vigstudio.app.library import LibraryService
from vigstudio.ui.review import start_review


def where(window) -> dict | None:
    if window is None:
        return None
    return {"visible": window.isVisible(), "screen": window.screen().name(), "full_screen": window.isFullScreen(),
            "maximised": window.isMaximized()}


def main() -> None:
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp())
    service = LibraryService()
    service.create(folder / "lib", "correct horse battery staple")
    made = make_review_session(service, folder)
    mode = start_review(service, made.session_id)
    report: dict = {"screens": [s.name() for s in QGuiApplication.screens()],
                    "primary": QGuiApplication.primaryScreen().name()}

    def settled() -> None:
        report["family"] = where(mode.family)
        report["presenter"] = where(mode.presenter)
        report["strip_visible"] = mode.family.strip.isVisible()
        report["one_screen"] = mode.one_screen
        # A screen plugged in or out: Qt says so with screenAdded/screenRemoved; the review re-arranges.
        arranged = []
        mode.arranged.connect(lambda: arranged.append(True))
        app.screenAdded.emit(QGuiApplication.screens()[-1])
        QTimer.singleShot(100, lambda: finish(arranged))

    def finish(arranged) -> None:
        report["rearranged_on_screen_change"] = bool(arranged)
        report["family_after"] = where(mode.family)
        mode.end()
        service.close()
        print("REPORT " + json.dumps(report), flush=True)
        app.quit()

    QTimer.singleShot(300, settled)
    app.exec()


if __name__ == "__main__":
    main()
