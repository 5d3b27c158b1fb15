"""Auto-lock: notice when nobody has touched the app for a while, and the screen shown while locked.

`IdleWatcher` is an application-wide event filter: any key, click, wheel or mouse move restarts a
single-shot timer; when the timer runs out it emits `idle`. `LockScreen` is what replaces the main
window's content while locked: no case code, no tree, no details — only a passphrase field.

Watching a video is use too, though nobody touches a key: whatever plays a recording holds the
process-wide `keep_awake()` while it plays, and the watcher does not fire while anything holds it:

    keep_awake().set_held(self, playing)    # from the player's state changes
    keep_awake().release(self)              # when the player is closed

When the last hold is let go the countdown starts again from that moment, as after a key press.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.ui.panels import centred_card

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})


class KeepAwake(QObject):
    """The holders (QObjects such as a playback controller) that count as use while they hold.
    `changed(True)` when the first hold is taken, `changed(False)` when the last is let go. A holder
    that is destroyed without letting go is forgotten, so a lost hold cannot keep a library unlocked."""

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._holds: dict[int, partial] = {}  # id(holder) -> its `destroyed` handler

    @property
    def active(self) -> bool:
        return bool(self._holds)

    def hold(self, owner: QObject) -> None:
        key = id(owner)
        if key in self._holds:
            return
        forget = partial(self._forget, key)
        self._holds[key] = forget
        owner.destroyed.connect(forget)
        if len(self._holds) == 1:
            self.changed.emit(True)

    def release(self, owner: QObject) -> None:
        forget = self._holds.get(id(owner))
        if forget is None:
            return
        try:
            owner.destroyed.disconnect(forget)
        except (RuntimeError, TypeError):  # the owner is already on its way out
            pass
        self._forget(id(owner))

    def set_held(self, owner: QObject, held: bool) -> None:
        if held:
            self.hold(owner)
        else:
            self.release(owner)

    def _forget(self, key: int, *_destroyed) -> None:
        if self._holds.pop(key, None) is not None and not self._holds:
            self.changed.emit(False)


_keep_awake: KeepAwake | None = None


def keep_awake() -> KeepAwake:
    """The application's one `KeepAwake` (made on first use, in the GUI thread)."""
    global _keep_awake
    if _keep_awake is None:
        _keep_awake = KeepAwake()
    return _keep_awake


class IdleWatcher(QObject):
    """Emits `idle` after `timeout_ms` without user input anywhere in the application, and
    without anything holding `keep_awake` (a video playing counts as use)."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None, *, awake: KeepAwake | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(timeout_ms)))
        self._timer.timeout.connect(self._timed_out)
        self._awake = awake if awake is not None else keep_awake()
        self._awake.changed.connect(self._awake_changed)
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, int(timeout_ms)))
        if self._timer.isActive():
            self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        app = QApplication.instance()
        if not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False

    def _timed_out(self) -> None:
        if self._awake.active:
            self._timer.start()  # a video is playing: that is use, count again
            return
        self.idle.emit()

    def _awake_changed(self, held: bool) -> None:
        if not held and self._timer.isActive():
            self._timer.start()  # playback just ended: the countdown starts from now


class LockScreen(QWidget):
    """Shown in place of the library while locked. Emits `unlock_requested(passphrase)`."""

    unlock_requested = Signal(str)
    close_library_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        card, symbol, title = centred_card("lockCard", 440, 10, "lock", 56, "Library locked", 16)
        self.reason_label = QLabel("Locked. Enter the library passphrase to continue.")
        self.reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason_label.setWordWrap(True)
        self.reason_label.setProperty("muted", True)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("lockPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("Passphrase")
        self.passphrase_edit.returnPressed.connect(self._request_unlock)
        self.passphrase_edit.textChanged.connect(lambda _text: self.error_label.clear())
        self.error_label = QLabel()
        self.error_label.setObjectName("lockError")
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("error", True)

        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._request_unlock)
        self.close_button = QPushButton("Close library")
        self.close_button.clicked.connect(self.close_library_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 24)
        inner.setSpacing(12)
        inner.addWidget(symbol)
        inner.addWidget(title)
        inner.addWidget(self.reason_label)
        inner.addSpacing(6)
        inner.addWidget(self.passphrase_edit)
        inner.addWidget(self.error_label)
        inner.addLayout(buttons)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def reset(self, reason: str) -> None:
        self.reason_label.setText(reason)
        self.passphrase_edit.clear()
        self.error_label.clear()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.passphrase_edit.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self.unlock_button.setText("Checking…" if busy else "Unlock")
        if not busy:
            self.passphrase_edit.setFocus()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(message)
        self.passphrase_edit.selectAll()

    def _request_unlock(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.error_label.setText("Enter the passphrase to unlock.")
            return
        self.set_busy(True)
        self.unlock_requested.emit(passphrase)
