"""ReviewMode: one shared review — the family's full-screen window, the presenter window when there is
a screen for it, and the guarded way out.

    mode = start_review(service, session_id)            # the screens decide
    mode.ended.connect(show_the_library_again)

The screens decide where things go, at the start and whenever a screen is plugged in or out:
- two screens: the family watches the other screen (the TV), full screen; the laptop (the primary
  screen) is the presenter, with the presenter window maximised on it;
- one screen: the family view fills it and the presenter window is not shown at all — not buried
  behind the family view, where Alt+Tab would bring the prompts, the principles and the parent's
  words up in front of the family. The practitioner's aid is the presenter strip inside the family
  window (P; W writes the parent's words unseen).
`presenter=True` asks for the presenter window even on one screen (a practitioner's explicit choice
in "Start review on…"); `presenter=False` never shows it. Esc or closing either window opens the
`ExitGuard`; only the review PIN or the library passphrase ends the review.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen

from vigstudio.ui.review.controller import ReviewController
from vigstudio.ui.review.exit_guard import ExitGuard
from vigstudio.ui.review.presenter import PresenterWindow
from vigstudio.ui.review.review_window import ReviewWindow


class ReviewMode(QObject):
    ended = Signal()
    arranged = Signal()  # the windows were (re)placed on the screens

    def __init__(self, service, session_id: int, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.controller = ReviewController(service, session_id, self)
        self.family = ReviewWindow(self.controller)
        self.family.exit_requested.connect(lambda: self.request_exit(self.family))
        self.presenter: PresenterWindow | None = None
        self.guard: ExitGuard | None = None
        self.active = False
        self._chosen_family_screen: QScreen | None = None
        self._presenter_choice: bool | None = None
        self._presenter_screen: QScreen | None = None
        self._rearrange = QTimer(self)  # after a screen change, once Qt has moved its windows
        self._rearrange.setSingleShot(True)
        self._rearrange.setInterval(0)
        self._rearrange.timeout.connect(self.arrange)

    # -- the screens ----------------------------------------------------------------------------

    @property
    def one_screen(self) -> bool:
        return len(QGuiApplication.screens()) < 2

    def start(self, family_screen: QScreen | None = None, *, presenter: bool | None = None,
              presenter_screen: QScreen | None = None) -> None:
        """`family_screen`: the screen the family watches (None: the other screen if there are two);
        `presenter`: None lets the screens decide (see the module doc)."""
        self._chosen_family_screen = family_screen
        self._presenter_choice = presenter
        self._presenter_screen = presenter_screen
        self.active = True
        self.controller.start()
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        self.arrange()

    def _screens_changed(self, _screen: QScreen) -> None:
        if self.active:
            self._rearrange.start()

    def arrange(self) -> None:
        """Place the family view and the presenter for the screens there are now."""
        if not self.active:
            return
        screens = QGuiApplication.screens()
        laptop = QGuiApplication.primaryScreen()
        chosen = self._chosen_family_screen
        family = chosen if chosen in screens else (other_screen(laptop) or laptop)
        presenter_screen = self._presenter_screen if self._presenter_screen in screens else None
        presenter_screen = presenter_screen or other_screen(family)
        wanted = self._presenter_choice if self._presenter_choice is not None else presenter_screen is not None
        if wanted:
            if self.presenter is None:
                self.presenter = PresenterWindow(self.controller)
                self.presenter.exit_requested.connect(lambda: self.request_exit(self.presenter))
                self.presenter.show_current()
            if presenter_screen is not None:
                self.presenter.setScreen(presenter_screen)
                self.presenter.move(presenter_screen.availableGeometry().topLeft())
                self.presenter.showMaximized()
            else:  # asked for on the family's only screen
                self.presenter.showNormal()
        elif self.presenter is not None:
            self.presenter.hide()  # (not closed: a screen plugged in again brings it back)
        self.family.show_on(family)
        self.arranged.emit()

    # -- leaving --------------------------------------------------------------------------------

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
        """Close both windows and let go of the recording (called once the way out was verified, or
        by a lock)."""
        if not self.active:
            return
        self.active = False
        self._rearrange.stop()
        app = QGuiApplication.instance()
        for signal in (app.screenAdded, app.screenRemoved):
            try:
                signal.disconnect(self._screens_changed)
            except (RuntimeError, TypeError):
                pass
        if self.guard is not None and self.guard.isVisible():
            self.guard.reject()
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


def start_review(service, session_id: int, *, family_screen: QScreen | None = None, presenter: bool | None = None,
                 parent: QObject | None = None) -> ReviewMode:
    mode = ReviewMode(service, session_id, parent)
    mode.start(family_screen, presenter=presenter)
    return mode
