"""Start the GUI: `run_gui(library_path)` makes the QApplication and opens the unlock window.

With `VIGSTUDIO_PASSPHRASE` set and a library path given, the library opens unlocked at once
(for scripted checks; the environment is the less safe way to pass a passphrase).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from vigstudio.app.library import LibraryService
from vigstudio.app.logging_setup import configure_logging, log_unexpected
from vigstudio.ui import settings
from vigstudio.ui.icons import app_icon
from vigstudio.ui.main_window import MainWindow
from vigstudio.ui.style import apply_style
from vigstudio.ui.unlock_window import UnlockWindow

PASSPHRASE_ENV = "VIGSTUDIO_PASSPHRASE"
# What the library window adds (`install_features`): imported while the unlock window waits.
FEATURE_MODULES = ("vigstudio.ui.caseload", "vigstudio.ui.outcomes", "vigstudio.ui.review",
                   "vigstudio.ui.supervision", "vigstudio.ui.training", "vigstudio.ui.www")

log = logging.getLogger(__name__)


def preload_features() -> threading.Thread:
    """Import the library window's feature modules (and through them reportlab, numpy...) on a
    background thread, so that opening the library window after the unlock does not wait for them:
    the unlock window waits for a passphrase and its key derivation meanwhile. Importing only defines
    classes and functions (no widget is made), and Python's import locks let the GUI thread wait
    for a module being imported here if it gets there first."""

    def load() -> None:
        for name in FEATURE_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the library window's own import reports it
                log.warning("preloading %s failed", name)
                return

    thread = threading.Thread(target=load, name="preload-features", daemon=True)
    thread.start()
    return thread


class Shell(QObject):
    """Switches between the unlock window and the library window; holds no library state itself."""

    def __init__(self, library_path: str | None = None, idle_timeout_ms: int | None = None):
        super().__init__()
        self.idle_timeout_ms = idle_timeout_ms
        self.unlock_window = UnlockWindow(library_path)
        self.unlock_window.unlocked.connect(self.show_library)
        self.main_window: MainWindow | None = None

    def start(self, passphrase: str | None = None) -> None:
        preload_features()
        self.unlock_window.show()
        if passphrase and self.unlock_window.library_path:
            self.unlock_window.start_unlock(self.unlock_window.library_path, passphrase)

    def show_library(self, service: LibraryService) -> None:
        window = MainWindow(service, idle_timeout_ms=self.idle_timeout_ms)
        install_features(window)
        window.library_closed.connect(self.show_unlock)
        self.main_window = window
        window.show()
        self.unlock_window.hide()

    def show_unlock(self) -> None:
        self.main_window = None
        last = settings.last_library()
        if last:
            self.unlock_window.show_unlock(last)
        else:
            self.unlock_window.show_welcome()
        self.unlock_window.show()


def install_features(window: MainWindow) -> None:
    """Shared review/export and sharing menus plug into the library window (the editor is built in).
    Imported here, not at the top: `preload_features` imports them while the unlock window waits."""
    from vigstudio.ui.caseload import install_caseload
    from vigstudio.ui.outcomes import install_outcomes_menu
    from vigstudio.ui.review import install_review_actions
    from vigstudio.ui.supervision import install_supervision_menu
    from vigstudio.ui.training import install_training_menu
    from vigstudio.ui.www import install_www_menu

    install_review_actions(window)
    install_supervision_menu(window)
    install_outcomes_menu(window)
    install_training_menu(window)
    install_caseload(window)
    install_www_menu(window)
    # Help stays the last menu, as on every desktop, after the menus the features added.
    bar = window.menuBar()
    for action in bar.actions():
        if action.text().replace("&", "") == "Help":
            bar.removeAction(action)
            bar.addAction(action)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(settings.APPLICATION)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationDisplayName("VIG Studio")
    app.setDesktopFileName("vigstudio")
    app.setWindowIcon(app_icon())
    apply_style(app)
    return app


def _log_uncaught(exc_type, exc, tb) -> None:
    """An exception escaping a Qt slot: into the log (frames and type only), then the usual print."""
    if not issubclass(exc_type, KeyboardInterrupt):
        log_unexpected(exc, "gui")
    sys.__excepthook__(exc_type, exc, tb)


def run_gui(library_path: str | os.PathLike | None) -> int:
    """Run the GUI until its last window closes; returns the exit code."""
    configure_logging()
    sys.excepthook = _log_uncaught
    app = make_application()
    library_path = str(Path(library_path).expanduser().resolve()) if library_path else None
    shell = Shell(library_path)
    passphrase = os.environ.get(PASSPHRASE_ENV) if library_path else None
    shell.start(passphrase)
    return app.exec()
