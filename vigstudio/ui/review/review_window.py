"""ReviewWindow: the family's screen. Full screen on the chosen screen, black, the picture as large as it
goes, a caption in large type — and nothing else: no menus, no toolbars, no way into the library.

Keys (presentation clickers send PageDown/PageUp):
    Space play / pause        Right, PageDown next        Left, PageUp previous
    Up / Down speed (¼ ½ ¾ 1) R replay                    L loop the clip      T captions on/off
    P the presenter strip     W write the parent's words (unseen, in the strip)
    Esc (or closing the window) asks for the review PIN or the library passphrase.
The mouse pointer hides after a moment without movement.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from vigstudio.ui import style
from vigstudio.ui.review.controller import ReviewController, speed_text
from vigstudio.ui.review.picture import ReviewPicture
from vigstudio.ui.review.strip import PresenterStrip

HIDE_CURSOR_MS = 1500
EMPTY_REVIEW = "This session has no clips or stills yet."


class ReviewWindow(QWidget):
    """`exit_requested` asks the owner (ReviewMode) to guard the way out; the window itself closes
    only once `allow_close()` was called."""

    exit_requested = Signal()

    def __init__(self, controller: ReviewController, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.controller = controller
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Shared review")
        self.setPalette(style.review_palette())
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#reviewWindow {{ background: {style.REVIEW_BACKGROUND}; }}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.picture = ReviewPicture(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.picture, 1)
        self.strip = PresenterStrip(controller, self)  # hidden until P or W
        layout.addWidget(self.strip)
        self._may_close = False
        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.timeout.connect(self._hide_cursor)

        controller.itemChanged.connect(self._item_changed)
        controller.frameChanged.connect(self.picture.set_frame)
        controller.captionsChanged.connect(lambda _on: self._update_caption())
        controller.speedChanged.connect(lambda speed: self.picture.show_notice(speed_text(speed)))
        controller.loopChanged.connect(lambda on: self.picture.show_notice("Loop on" if on else "Loop off"))
        if not controller.items:
            self.picture.set_message(EMPTY_REVIEW)

    # -- showing --------------------------------------------------------------------------------

    def show_on(self, screen: QScreen | None = None) -> None:
        """Full screen on `screen` (default: the primary screen)."""
        screen = screen or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()
        self._cursor_timer.start(HIDE_CURSOR_MS)

    def _item_changed(self, _index: int) -> None:
        item = self.controller.current
        self.picture.set_sample_aspect_ratio(self.controller.sample_aspect_ratio)
        self._update_caption()
        if item is None:
            self.picture.set_message(EMPTY_REVIEW)

    def _update_caption(self) -> None:
        item = self.controller.current
        self.picture.set_caption(item.label if item is not None and self.controller.captions else "")

    # -- keys -----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        c, key = self.controller, event.key()
        actions = {
            Qt.Key.Key_Space: c.toggle_play,
            Qt.Key.Key_Right: c.next, Qt.Key.Key_PageDown: c.next,
            Qt.Key.Key_Left: c.previous, Qt.Key.Key_PageUp: c.previous,
            Qt.Key.Key_Up: c.faster, Qt.Key.Key_Down: c.slower,
            Qt.Key.Key_R: c.replay, Qt.Key.Key_L: c.toggle_loop, Qt.Key.Key_T: c.toggle_captions,
            Qt.Key.Key_P: self.strip.toggle, Qt.Key.Key_W: self.strip.write_words,
            Qt.Key.Key_Escape: self.exit_requested.emit,
        }
        action = actions.get(key)
        if action is None or event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            event.accept()  # every other key is swallowed: nothing else happens on this screen
            return
        if not event.isAutoRepeat() or key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_PageDown,
                                               Qt.Key.Key_PageUp):
            action()
        event.accept()

    # -- the pointer ----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # (moves over the picture reach here too: the picture ignores mouse events)
        if event.type() in (QEvent.Type.MouseMove, QEvent.Type.HoverMove, QEvent.Type.MouseButtonPress):
            self.unsetCursor()
            self._cursor_timer.start(HIDE_CURSOR_MS)
        return super().event(event)

    def _hide_cursor(self) -> None:
        self.setCursor(Qt.CursorShape.BlankCursor)

    @property
    def cursor_hidden(self) -> bool:
        return self.cursor().shape() == Qt.CursorShape.BlankCursor

    # -- closing --------------------------------------------------------------------------------

    def allow_close(self) -> None:
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            event.accept()
            return
        event.ignore()  # closing is leaving: it needs the PIN or passphrase like Esc
        self.exit_requested.emit()
