"""The first window: unlock a library, create one, or try the demo.

Three pages: a welcome page (first start, no remembered library), an unlock page (passphrase for a
known library folder) and a create page (folder + passphrase twice). Opening and creating run in the
background (Argon2id takes about half a second); problems are shown inline, and the window stays.
Only the library folder's path is remembered (QSettings), never anything inside it.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import demo as demo_library
from vigstudio.app.library import LibraryService
from vigstudio.app.progress import Progress
from vigstudio.domain.errors import PassphraseTooShort, VigError
from vigstudio.ui import settings
from vigstudio.ui.background import BackgroundTask, run_in_background
from vigstudio.ui.dialogs import sentence
from vigstudio.ui.icons import app_icon, icon

DEFAULT_LIBRARY_NAME = "VIG Studio Library"


def default_library_location() -> Path:
    return Path(platformdirs.user_documents_dir()) / DEFAULT_LIBRARY_NAME


def open_library(path: str, passphrase: str) -> LibraryService:
    service = LibraryService()
    service.open(path, passphrase)
    return service


def create_library(path: str, passphrase: str) -> LibraryService:
    service = LibraryService()
    service.create(path, passphrase)
    return service


def open_or_make_demo(progress: Progress) -> LibraryService:
    """Reopen the demo made earlier on this computer, or make it now (see `app.demo.open_or_make_demo`)."""
    return demo_library.open_or_make_demo(progress)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 14pt; font-weight: 600;")
    label.setWordWrap(True)
    return label


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("muted", True)
    return label


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setProperty("error", True)
    return label


def _passphrase_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class ChoiceButton(QPushButton):
    """A big welcome-page button: icon, bold title, one muted line of explanation."""

    def __init__(self, icon_name: str, title: str, detail: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("choiceButton")
        self.setAccessibleName(title)
        self.setAccessibleDescription(detail)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        symbol = QLabel()
        symbol.setPixmap(icon(icon_name).pixmap(30, 30))
        self.title_label = QLabel(title)
        self.title_label.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.detail_label = _muted(detail)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title_label)
        text.addWidget(self.detail_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(16)
        layout.addWidget(symbol)
        layout.addLayout(text, 1)
        for label in (symbol, self.title_label, self.detail_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("QPushButton#choiceButton { text-align: left; border-radius: 8px; }")

    def sizeHint(self) -> QSize:  # a push button ignores its child layout
        return self.layout().sizeHint().expandedTo(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize().expandedTo(super().minimumSizeHint())


class UnlockWindow(QWidget):
    """Emits `unlocked(service)` with an open `LibraryService` once a library is unlocked or made."""

    unlocked = Signal(object)

    WELCOME, UNLOCK, CREATE = range(3)

    def __init__(self, library_path: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unlockWindow")
        self.setWindowTitle("VIG Studio")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(560, 460)
        self.task: BackgroundTask | None = None
        self.library_path: str | None = None

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_welcome_page())
        self.pages.addWidget(self._build_unlock_page())
        self.pages.addWidget(self._build_create_page())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 28, 36, 24)
        layout.setSpacing(18)
        layout.addLayout(self._build_header())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: palette(mid);")
        layout.addWidget(line)
        layout.addWidget(self.pages, 1)

        path = library_path or settings.last_library()
        if path:
            self.show_unlock(path)
        else:
            self.show_welcome()

    # ------------------------------------------------------------------ layout
    def _build_header(self) -> QHBoxLayout:
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(48, 48))
        title = QLabel("VIG Studio")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        subtitle = _muted("Video Interaction Guidance. Recordings and notes stay encrypted on this computer.")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(title)
        text.addWidget(subtitle)
        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(text, 1)
        return header

    def _build_welcome_page(self) -> QWidget:
        page = QWidget()
        self.create_choice = ChoiceButton(
            "add", "Create a new library", "A new encrypted folder for your cases and recordings")
        self.open_choice = ChoiceButton(
            "folder-open", "Open an existing library", "A library folder made earlier, here or copied over")
        self.demo_choice = ChoiceButton(
            "demo", "Try the demo library", "A generated sample recording to explore: no real family")
        self.create_choice.clicked.connect(lambda: self.show_create())
        self.open_choice.clicked.connect(self.browse_for_library)
        self.demo_choice.clicked.connect(self.start_demo)
        self.welcome_error = _error_label("welcomeError")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(_heading("Welcome"))
        layout.addWidget(_muted("A library is one folder holding your cases, recordings and notes, "
                                "locked with a passphrase. How would you like to start?"))
        layout.addSpacing(6)
        for button in (self.create_choice, self.open_choice, self.demo_choice):
            layout.addWidget(button)
        layout.addWidget(self.welcome_error)
        layout.addStretch(1)
        return page

    def _build_unlock_page(self) -> QWidget:
        page = QWidget()
        self.unlock_heading = _heading("Unlock your library")
        self.library_label = QLabel()
        self.library_label.setObjectName("libraryPath")
        self.library_label.setWordWrap(True)
        self.library_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase_edit = _passphrase_edit("unlockPassphrase", "Passphrase")
        self.passphrase_edit.returnPressed.connect(self.submit_unlock)
        self.unlock_error = _error_label("unlockError")
        self.passphrase_edit.textChanged.connect(lambda _t: self.unlock_error.clear())
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit_unlock)

        other = QPushButton(icon("folder-open"), "Open another…")
        other.clicked.connect(self.browse_for_library)
        new = QPushButton(icon("add"), "New library…")
        new.clicked.connect(lambda: self.show_create())
        demo = QPushButton(icon("demo"), "Try the demo")
        demo.clicked.connect(self.start_demo)
        self._unlock_page_buttons = [other, new, demo]

        row = QHBoxLayout()
        row.addWidget(self.passphrase_edit, 1)
        row.addWidget(self.unlock_button)
        links = QHBoxLayout()
        for button in self._unlock_page_buttons:
            links.addWidget(button)
        links.addStretch(1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.unlock_heading)
        layout.addWidget(self.library_label)
        layout.addSpacing(6)
        layout.addWidget(QLabel("Passphrase"))
        layout.addLayout(row)
        layout.addWidget(self.unlock_error)
        layout.addStretch(1)
        layout.addWidget(_muted("Not this library?"))
        layout.addLayout(links)
        return page

    def _build_create_page(self) -> QWidget:
        page = QWidget()
        self.location_edit = QLineEdit()
        self.location_edit.setObjectName("createLocation")
        browse = QPushButton(icon("folder-open"), "Choose…")
        browse.clicked.connect(self.browse_for_new_location)
        location_row = QHBoxLayout()
        location_row.addWidget(self.location_edit, 1)
        location_row.addWidget(browse)
        self.new_passphrase_edit = _passphrase_edit("createPassphrase", "At least 10 characters")
        self.repeat_passphrase_edit = _passphrase_edit("createRepeat", "The same passphrase again")
        self.repeat_passphrase_edit.returnPressed.connect(self.submit_create)
        self.create_error = _error_label("createError")
        for edit in (self.location_edit, self.new_passphrase_edit, self.repeat_passphrase_edit):
            edit.textChanged.connect(lambda _t: self.create_error.clear())
        self.create_button = QPushButton("Create library")
        self.create_button.setProperty("primary", True)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit_create)
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self._go_back)
        self._create_page_inputs = [self.location_edit, browse, self.new_passphrase_edit,
                                    self.repeat_passphrase_edit, self.back_button]
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(_heading("Create a new library"))
        layout.addWidget(QLabel("Library folder"))
        layout.addLayout(location_row)
        layout.addSpacing(4)
        layout.addWidget(QLabel("Passphrase"))
        layout.addWidget(self.new_passphrase_edit)
        layout.addWidget(self.repeat_passphrase_edit)
        layout.addWidget(_muted(
            "At least 10 characters. Keep it safe: without it nobody, including you, can open the "
            "recordings again."))
        layout.addWidget(self.create_error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    # ------------------------------------------------------------------ navigation
    def show_welcome(self) -> None:
        self.pages.setCurrentIndex(self.WELCOME)

    def show_unlock(self, path: str) -> None:
        self.library_path = str(path)
        folder = Path(path)
        self.library_label.setText(f"<b>{folder.name or folder}</b><br><span style='color:#5B6870'>"
                                   f"{folder.parent}</span>")
        self.library_label.setToolTip(str(folder))
        self.passphrase_edit.clear()
        self.unlock_error.clear()
        self.pages.setCurrentIndex(self.UNLOCK)
        self.passphrase_edit.setFocus()

    def show_create(self, location: str | None = None) -> None:
        self.location_edit.setText(location or str(self._free_default_location()))
        self.new_passphrase_edit.clear()
        self.repeat_passphrase_edit.clear()
        self.create_error.clear()
        self.pages.setCurrentIndex(self.CREATE)
        self.new_passphrase_edit.setFocus()

    def _go_back(self) -> None:
        if self.library_path:
            self.show_unlock(self.library_path)
        else:
            self.show_welcome()

    @staticmethod
    def _free_default_location() -> Path:
        base = default_library_location()
        candidate, n = base, 2
        while candidate.exists() and any(candidate.iterdir()):
            candidate = base.with_name(f"{base.name} {n}")
            n += 1
        return candidate

    def browse_for_library(self) -> None:
        start = str(Path(self.library_path).parent) if self.library_path else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a VIG Studio library folder", start)
        if folder:
            self.show_unlock(folder)

    def browse_for_new_location(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where should the new library go?",
                                                  str(Path.home()))
        if not folder:
            return
        chosen = Path(folder)
        if any(chosen.iterdir()):  # a non-empty folder: make the library inside it
            chosen = chosen / DEFAULT_LIBRARY_NAME
        self.location_edit.setText(str(chosen))

    # ------------------------------------------------------------------ actions
    @property
    def busy(self) -> bool:
        return self.task is not None

    def submit_unlock(self) -> BackgroundTask | None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.unlock_error.setText("Enter the passphrase of this library.")
            return None
        if not self.library_path:
            return None
        return self.start_unlock(self.library_path, passphrase)

    def start_unlock(self, path: str, passphrase: str) -> BackgroundTask | None:
        """Open `path` in the background; on success emit `unlocked` and remember the path."""
        if self.busy:
            return None
        if self.pages.currentIndex() != self.UNLOCK or self.library_path != str(path):
            self.show_unlock(path)
        self._set_busy(True, "Unlocking…")
        self.task = run_in_background(
            self, lambda _progress: open_library(path, passphrase),
            on_success=lambda service: self._opened(service, remember=True),
            on_failure=self._show_unlock_error,
            progress_label="Unlocking the library…", cancellable=False, show_progress=False,
        )
        return self.task

    def submit_create(self) -> BackgroundTask | None:
        location = self.location_edit.text().strip()
        passphrase = self.new_passphrase_edit.text()
        if not location:
            self.create_error.setText("Choose a folder for the new library.")
            return None
        if len(passphrase) < PassphraseTooShort.MIN_LENGTH:
            self.create_error.setText(str(PassphraseTooShort()).capitalize() + ".")
            self.new_passphrase_edit.setFocus()
            return None
        if passphrase != self.repeat_passphrase_edit.text():
            self.repeat_passphrase_edit.clear()  # (clearing also clears the message: set it after)
            self.create_error.setText("The two passphrases are not the same. Type them again.")
            self.repeat_passphrase_edit.setFocus()
            return None
        if self.busy:
            return None
        path = str(Path(location).expanduser())
        self._set_busy(True, "Creating…")
        self.task = run_in_background(
            self, lambda _progress: create_library(path, passphrase),
            on_success=lambda service: self._opened(service, remember=True),
            on_failure=self._show_create_error,
            progress_label="Creating the library…", cancellable=False, show_progress=False,
        )
        return self.task

    def start_demo(self) -> BackgroundTask | None:
        if self.busy:
            return None
        self._set_busy(True, "Preparing the demo…")
        self.task = run_in_background(
            self, open_or_make_demo,
            on_success=lambda service: self._opened(service, remember=False),
            on_failure=self._show_demo_error,
            progress_label="Making the demo library: a sample recording with clips, stills and comments…",
            on_cancelled=lambda: self._set_busy(False),
            failure_title="Could not make the demo library",
        )
        return self.task

    # ------------------------------------------------------------------ results
    def _opened(self, service: LibraryService, remember: bool) -> None:
        self._set_busy(False)
        if remember:
            settings.remember_library(str(service.path))
        self.passphrase_edit.clear()
        self.new_passphrase_edit.clear()
        self.repeat_passphrase_edit.clear()
        self.unlocked.emit(service)

    def _show_unlock_error(self, error: VigError) -> None:
        self._set_busy(False)
        self.show_unlock(self.library_path or "")
        self.unlock_error.setText(sentence(str(error)))
        self.passphrase_edit.setFocus()

    def _show_create_error(self, error: VigError) -> None:
        self._set_busy(False)
        self.create_error.setText(sentence(str(error)))

    def _show_demo_error(self, error: VigError) -> None:
        self._set_busy(False)
        message = sentence(str(error))
        if self.pages.currentIndex() == self.UNLOCK:
            self.unlock_error.setText(message)
        else:
            self.show_welcome()
            self.welcome_error.setText(message)

    def _set_busy(self, busy: bool, label: str = "") -> None:
        if not busy:
            self.task = None
        for widget in (self.create_choice, self.open_choice, self.demo_choice, self.passphrase_edit,
                       self.unlock_button, self.create_button, *self._unlock_page_buttons,
                       *self._create_page_inputs):
            widget.setEnabled(not busy)
        self.unlock_button.setText(label if busy and self.pages.currentIndex() == self.UNLOCK else "Unlock")
        self.create_button.setText(label if busy and self.pages.currentIndex() == self.CREATE
                                   else "Create library")
