"""The supervisor's timed comments on a session: a list (where, principle, words, who) and, in a
supervision case, a box to add one at the moment on screen.

`CommentsPanel` is a plain widget fed with `CommentRow`s (what to show, where to jump); the editor
(`vigstudio.ui.editor.supervision`) and the review's presenter screen each describe their comments
and make the edits. A click on a comment asks to jump there (`jumpRequested`). The words are typed
into a field that is never saved anywhere but the library, and never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Comment
from vigstudio.domain.principles import Catalogue
from vigstudio.domain.timecode import format_seconds
from vigstudio.ui.editor.chips import colour_dot_icon, principle_colour
from vigstudio.ui.editor.text_commit import FieldLineEdit
from vigstudio.ui.icons import icon

JUMP_ROLE = Qt.ItemDataRole.UserRole + 1
COMMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_COMMENT_LENGTH = 4000
EMPTY_CAN_ADD = ("No comments yet.\nTo add one, stop on the moment, write your comment in the box below "
                 "and press Enter: it is kept at that frame.")
EMPTY_READ_ONLY = "No supervisor comments on this session yet."


@dataclass(frozen=True)
class CommentRow:
    """One comment as the list shows it. `jump` is (recording id, frame) when that moment can be shown."""

    comment_id: int
    place: str  # "Clip 2 “title” · frame 12 · 00:00.480", "Shared review · 01:02.300", "The whole session"
    text: str
    author: str
    principle: str | None = None  # code
    jump: tuple[int, int] | None = None
    rates_guider: bool = False  # the comment rates the practitioner as guider (shared review)


def moment_text(frame: int | None, fps: float) -> str:
    """`frame 12 · 00:00.480` (the time only when the frame rate is known)."""
    if frame is None:
        return ""
    return f"frame {frame} · {format_seconds(frame / fps)}" if fps > 0 else f"frame {frame}"


def describe(comment: Comment, place: str, jump: tuple[int, int] | None = None) -> CommentRow:
    return CommentRow(comment.id, place, comment.text, comment.author, comment.principle, jump, comment.rates_guider)


class CommentsPanel(QWidget):
    jumpRequested = Signal(int, int)  # recording id, frame
    addRequested = Signal(str, object)  # the words, principle code or None
    doneTyping = Signal()  # Esc in the box: the keys go back to the video

    def __init__(self, catalogue: Catalogue, *, can_add: bool, read_only_note: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("commentsPanel")
        self.catalogue = catalogue
        self.can_add = can_add

        self.note = QLabel(read_only_note)
        self.note.setObjectName("commentsNote")
        self.note.setProperty("muted", True)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(read_only_note))

        self.list = QListWidget()
        self.list.setObjectName("commentsList")
        self.list.setAccessibleName("Supervisor comments")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.empty = QLabel(EMPTY_CAN_ADD if can_add else EMPTY_READ_ONLY)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.moment = QLabel("")
        self.moment.setObjectName("commentMoment")
        self.moment.setProperty("muted", True)
        self.moment.setWordWrap(True)
        self.text = FieldLineEdit()
        self.text.setObjectName("commentText")
        self.text.setAccessibleName("Comment")
        self.text.setPlaceholderText("Your comment on this moment — Enter adds it")
        self.text.setMaxLength(MAX_COMMENT_LENGTH)
        self.text.returnPressed.connect(self.request_add)
        self.text.cancelled.connect(self._cancelled)
        self.text.textChanged.connect(lambda _t: self._update_state())
        self.principle = QComboBox()
        self.principle.setObjectName("commentPrinciple")
        self.principle.setAccessibleName("Principle of the comment")
        self.principle.addItem("No principle", None)
        for p in catalogue.principles:
            self.principle.addItem(colour_dot_icon(principle_colour(catalogue, p.code)), f"{p.code}  {p.name}",
                                   p.code)
        self.add_button = QPushButton(icon("comment"), "Add comment at this frame")
        self.add_button.setObjectName("addCommentButton")
        self.add_button.setProperty("primary", True)
        self.add_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.add_button.clicked.connect(self.request_add)
        self._at_moment = False
        # The comment rates the guider (how the practitioner showed the principles with the parent):
        # offered only on the shared-review recording (`set_can_rate_guider`).
        self.rates_guider = QCheckBox("Rates the guider")
        self.rates_guider.setObjectName("commentRatesGuider")
        self.rates_guider.setToolTip("This comment rates the practitioner as guider (the principles as they showed "
                                     "them with the parent). It shows in its own lane on their shared-review timeline.")
        self.rates_guider.setVisible(False)

        add_row = QHBoxLayout()
        add_row.addWidget(self.principle, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.add_box = QWidget()
        box = QVBoxLayout(self.add_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.moment)
        box.addWidget(self.text)
        box.addWidget(self.rates_guider)
        box.addLayout(add_row)
        layout.addWidget(self.add_box)
        self.add_box.setVisible(can_add)
        self.set_rows([])
        self.set_moment(None)

    # -- inputs -------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CommentRow]) -> None:
        current = self.list.currentItem().data(COMMENT_ID_ROLE) if self.list.currentItem() else None
        self.list.clear()
        for row in rows:
            lines = [row.place + (f" · {self._principle_text(row.principle)}" if row.principle else "")
                     + (" · rates the guider" if row.rates_guider else ""),
                     row.text, f"— {row.author}"]
            item = QListWidgetItem("\n".join(lines))
            # rows without a principle get a clear dot of the same size, so all texts line up
            item.setIcon(colour_dot_icon(principle_colour(self.catalogue, row.principle) if row.principle
                                         else QColor(Qt.GlobalColor.transparent)))
            item.setData(JUMP_ROLE, row.jump)
            item.setData(COMMENT_ID_ROLE, row.comment_id)
            item.setToolTip("Click to go to this moment" if row.jump else "")
            self.list.addItem(item)
            if row.comment_id == current:
                self.list.setCurrentItem(item)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def set_moment(self, text: str | None) -> None:
        """Where a new comment goes ("Frame 12 of clip 2 …"), or None when there is nothing to comment on."""
        self._at_moment = text is not None
        self.moment.setText(text or "Open a recording to comment on one of its frames.")
        self._update_state()

    def comment_added(self) -> None:
        """After the comment was saved: the box is ready for the next one."""
        self.text.clear()
        self.principle.setCurrentIndex(0)

    def set_can_rate_guider(self, can: bool) -> None:
        """Offer "Rates the guider" (on the shared-review recording only); it stays as set while offered."""
        self.rates_guider.setVisible(self.can_add and can)
        if not can:
            self.rates_guider.setChecked(False)

    def wants_guider_rating(self) -> bool:
        """Checked while offered (the panel itself may be hidden in a tab)."""
        return not self.rates_guider.isHidden() and self.rates_guider.isChecked()

    def rows_text(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    # -- requests -----------------------------------------------------------------------------------

    def request_add(self) -> None:
        words = self.text.text().strip()
        if self.can_add and self._at_moment and words:
            self.addRequested.emit(words, self.principle.currentData())

    def _clicked(self, item: QListWidgetItem) -> None:
        jump = item.data(JUMP_ROLE)
        if jump:
            self.jumpRequested.emit(int(jump[0]), int(jump[1]))

    def _cancelled(self) -> None:
        self.text.clear()
        self.doneTyping.emit()

    def _update_state(self) -> None:
        self.add_button.setEnabled(self.can_add and self._at_moment and bool(self.text.text().strip()))

    def _principle_text(self, code: str) -> str:
        try:
            return f"{code} {self.catalogue.principle(code).name}"
        except VigError:  # a code this catalogue does not have (e.g. another service's own code)
            return code
