"""ReviewMode: one shared review — the family's full-screen window, the optional presenter window, and
the guarded way out.

    mode = start_review(service, session_id, family_screen=screen, presenter=True)
    mode.ended.connect(show_the_library_again)

With two screens the presenter goes on a screen other than the family's; with one screen it is a
second, normal window. Esc or closing either window opens the `ExitGuard`; only the review PIN or
the library passphrase ends the review.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QScreen

from vigstudio.ui.review.controller import ReviewController
from vigstudio.ui.review.exit_guard import ExitGuard
from vigstudio.ui.review.presenter import PresenterWindow
from vigstudio.ui.review.review_window import ReviewWindow


class ReviewMode(QObject):
    ended = Signal()

    def __init__(self, service, session_id: int, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.controller = ReviewController(service, session_id, self)
        self.family = ReviewWindow(self.controller)
        self.family.exit_requested.connect(lambda: self.request_exit(self.family))
        self.presenter: PresenterWindow | None = None
        self.guard: ExitGuard | None = None
        self.active = False

    def start(self, family_screen: QScreen | None = None, *, presenter: bool = True,
              presenter_screen: QScreen | None = None) -> None:
        family_screen = family_screen or QGuiApplication.primaryScreen()
        if presenter:
            self.presenter = PresenterWindow(self.controller)
            self.presenter.exit_requested.connect(lambda: self.request_exit(self.presenter))
            screen = presenter_screen or other_screen(family_screen)
            if screen is not None and screen is not family_screen:
                self.presenter.setScreen(screen)
                self.presenter.move(screen.availableGeometry().topLeft())
                self.presenter.showMaximized()
            else:
                self.presenter.show()
        self.active = True
        self.controller.start()
        self.family.show_on(family_screen)

    def request_exit(self, over=None) -> ExitGuard:
        """Ask for the PIN or the passphrase (one box at a time)."""
        if self.guard is not None and self.guard.isVisible():
            self.guard.raise_()
            self.guard.activateWindow()
            return self.guard
        self.controller_pause()
        self.guard = ExitGuard(self.service, over or self.family)
        self.guard.left.connect(self.end)
        self.guard.open()
        return self.guard

    def controller_pause(self) -> None:
        if self.controller.playing:
            self.controller.toggle_play()

    def end(self) -> None:
        """Close both windows and let go of the recording (called once the way out was verified)."""
        if not self.active:
            return
        self.active = False
        self.controller.close()
        for window in (self.family, self.presenter):
            if window is not None:
                window.allow_close()
                window.close()
                window.deleteLater()
        self.ended.emit()


def other_screen(screen: QScreen | None) -> QScreen | None:
    """A screen that is not `screen` (the primary one first), or None with a single screen."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    for candidate in [primary, *screens]:
        if candidate is not None and candidate is not screen:
            return candidate
    return None


def start_review(service, session_id: int, *, family_screen: QScreen | None = None, presenter: bool = True,
                 parent: QObject | None = None) -> ReviewMode:
    mode = ReviewMode(service, session_id, parent)
    mode.start(family_screen, presenter=presenter)
    return mode
