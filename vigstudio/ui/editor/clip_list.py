"""The clip list: the session's clips in review order, with title, length and principle chips.

`ClipListModel` is a Qt model over `SessionData` (it holds no state of its own): renaming in place
and dragging to reorder go straight to the undoable edits; the list then redraws from the reload
the edit causes. A filter shows only the clips tagged with one principle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QDropEvent, QFont, QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.editing import ClipWithTags
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Clip, clip_name
from vigstudio.ui import style
from vigstudio.ui.commands import UndoableEditor
from vigstudio.ui.editor.chips import (
    chip_font,
    colour_dot_icon,
    paint_chips,
    principle_colour,
    principle_name,
)
from vigstudio.ui.editor.session_data import SessionData
from vigstudio.ui.editor.text_commit import FieldLineEdit
from vigstudio.ui.icons import icon
from vigstudio.ui.shortcuts import configure_action, describe_shortcut, spec

CLIP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CODES_ROLE = Qt.ItemDataRole.UserRole + 2
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 3
LENGTH_ROLE = Qt.ItemDataRole.UserRole + 4

Seconds = Callable[[Clip], float]


def clip_display_title(clip: Clip, number: int) -> str:
    return clip_name(clip.title, number)


class ClipListModel(QAbstractListModel):
    editFailed = Signal(str)

    def __init__(self, data: SessionData, undoable: UndoableEditor, seconds: Seconds, parent=None):
        super().__init__(parent)
        self._data = data
        self._undoable = undoable
        self._seconds = seconds
        self._principle: str | None = None
        self._rows: list[ClipWithTags] = []
        self._refresh()
        data.changed.connect(lambda parts: "clips" in parts and self._refresh())

    # -- rows ---------------------------------------------------------------------------------------

    def _refresh(self, force: bool = False) -> None:
        rows = [c for c in self._data.clips if self._principle is None or self._principle in c.principles]
        if rows == self._rows and not force:
            return  # e.g. a caption or the notes changed: nothing to redraw here
        if not force and [c.clip.id for c in rows] == [c.clip.id for c in self._rows]:
            # The same clips in the same order (a title, a trim, a tag): redraw the rows that differ.
            old, self._rows = self._rows, rows
            for row, (before, now) in enumerate(zip(old, rows, strict=True)):
                if before != now:
                    self.dataChanged.emit(self.index(row), self.index(row))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_principle_filter(self, code: str | None) -> None:
        self._principle = code
        self._refresh(force=True)

    @property
    def principle_filter(self) -> str | None:
        return self._principle

    def clip_at(self, row: int) -> ClipWithTags | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, clip_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.clip.id == clip_id), -1)

    def clip_ids(self) -> list[int]:
        return [c.clip.id for c in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        item = self.clip_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        clip = item.clip
        number = self._data.review_number(clip.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return clip_display_title(clip, number)
        if role == Qt.ItemDataRole.EditRole:
            return clip.title
        if role == Qt.ItemDataRole.ToolTipRole:
            names = [f"{code} {principle_name(self._data.catalogue, code)}" for code in item.principles]
            lines = [clip_display_title(clip, number), f"Frames {clip.start_frame}–{clip.end_frame - 1}",
                     "Tagged: " + (", ".join(names) if names else "not yet"),
                     "Double-click to go to it · F2 to rename · drag to change the review order"]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Clip {number}: {clip_display_title(clip, number)}, {self.length_text(clip)}"
        if role == CLIP_ID_ROLE:
            return clip.id
        if role == CODES_ROLE:
            return item.principles
        if role == NUMBER_ROLE:
            return number
        if role == LENGTH_ROLE:
            return self.length_text(clip)
        return None

    def length_text(self, clip: Clip) -> str:
        return f"{self._seconds(clip):.1f} s"

    # -- editing ------------------------------------------------------------------------------------

    def flags(self, index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.clip_at(index.row()) if index.isValid() else None
        if item is None or role != Qt.ItemDataRole.EditRole:
            return False
        title = str(value).strip()
        if title == item.clip.title:
            return False
        try:
            self._undoable.rename_clip(item.clip.id, title)
        except VigError as err:
            self.editFailed.emit(str(err))
            return False
        return True

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def review_position_for_drop(self, clip_id: int, row: int) -> int:
        """Where (0-based, in the whole review order) a clip dropped before visible `row` goes; the
        filter may hide clips, so the visible row is mapped through the clip it lands before."""
        order = [c.clip.id for c in self._data.clips if c.clip.id != clip_id]
        before = self.clip_at(row)
        if before is not None and before.clip.id == clip_id:  # dropped onto itself: stays
            moving = self._data.clip(clip_id)
            return moving.clip.position if moving is not None else len(order)
        if before is not None:
            return order.index(before.clip.id)
        visible = [i for i in self.clip_ids() if i != clip_id]
        return order.index(visible[-1]) + 1 if visible else len(order)

    def move_clip_to_row(self, clip_id: int, row: int) -> None:
        """Move the clip to just before visible `row` (a drop there, or Alt+Up/Down)."""
        self._move(clip_id, self.review_position_for_drop(clip_id, row))

    def _move(self, clip_id: int, position: int) -> None:
        item = self._data.clip(clip_id)
        if item is None or item.clip.position == position:
            return
        try:
            self._undoable.move_clip(clip_id, position)
        except VigError as err:
            self.editFailed.emit(str(err))


class ClipListView(QListView):
    """Drag to reorder: the drop itself asks the model for the move (one undoable edit), so nothing
    depends on how a Qt version turns an internal move into row inserts and removals."""

    def dropEvent(self, event: QDropEvent) -> None:
        model = self.model()
        moving = self.currentIndex().data(CLIP_ID_ROLE)
        if event.source() not in (None, self) or moving is None or not isinstance(model, ClipListModel):
            event.ignore()
            return
        pos = event.position().toPoint()
        target = self.indexAt(pos)
        row = model.rowCount() if not target.isValid() else target.row()
        if target.isValid() and pos.y() > self.visualRect(target).center().y():
            row += 1  # the lower half of a row means "after it"
        event.setDropAction(Qt.DropAction.CopyAction)  # nothing for the view to remove afterwards
        event.accept()
        self.stopAutoScroll()
        QTimer.singleShot(0, lambda: model.move_clip_to_row(moving, row))


class ClipDelegate(QStyledItemDelegate):
    """Two lines per clip: "1  Title ........ 3.2 s" and the principle chips (or a hint)."""

    PAD = 8

    def __init__(self, data: SessionData, parent=None):
        super().__init__(parent)
        self._data = data

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 3 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = QRect(option.rect).adjusted(self.PAD, self.PAD // 2 + 2, -self.PAD, -self.PAD // 2)
        metrics = QFontMetrics(option.font)
        line = metrics.height()
        painter.save()
        number_font = QFont(option.font)
        number_font.setFeature(QFont.Tag("tnum"), 1)
        painter.setFont(number_font)
        painter.setPen(QColor(style.MUTED))
        number_text = f"{index.data(NUMBER_ROLE)}"
        number_width = metrics.horizontalAdvance("00") + 6
        painter.drawText(QRect(rect.left(), rect.top(), number_width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number_text)
        length = index.data(LENGTH_ROLE) or ""
        length_width = metrics.horizontalAdvance(length) + 4
        painter.drawText(QRect(rect.right() - length_width, rect.top(), length_width, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, length)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor(style.TEXT))
        title_rect = QRect(rect.left() + number_width, rect.top(),
                           rect.width() - number_width - length_width - 6, line)
        title = QFontMetrics(title_font).elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                                     Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        codes = index.data(CODES_ROLE) or []
        chips_top = rect.top() + line + self.PAD // 2 + 2
        if codes:
            font = chip_font(option.font)
            paint_chips(painter, rect.left() + number_width, chips_top, line - 2, codes,
                        self._data.catalogue, font, rect.right())
        else:
            painter.setFont(option.font)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QRect(rect.left() + number_width, chips_top, rect.width() - number_width, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "not tagged yet")
        painter.restore()

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index) -> None:
        line = QFontMetrics(option.font).height()
        number_width = QFontMetrics(option.font).horizontalAdvance("00") + 6
        r = option.rect
        editor.setGeometry(QRect(r.left() + self.PAD + number_width - 4, r.top() + 2,
                                 r.width() - 2 * self.PAD - number_width + 4, line + 10))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:
        editor = FieldLineEdit(parent)  # Enter finishes the title instead of making a clip
        editor.setAccessibleName("Clip title")
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setPlaceholderText(index.data(Qt.ItemDataRole.DisplayRole) or "")


class ClipListPanel(QWidget):
    """Filter + list + delete. `clipActivated(id)` on double-click / Enter-less activation;
    `selectionChanged(id or None)` when the current clip changes."""

    clipActivated = Signal(int)
    currentClipChanged = Signal(object)

    def __init__(self, data: SessionData, model: ClipListModel, parent=None):
        super().__init__(parent)
        self._data = data
        self.model = model

        self.filter = QComboBox()
        self.filter.setObjectName("clipFilter")
        self.filter.setAccessibleName("Show clips tagged with")
        self.filter.setToolTip("Show only the clips tagged with one principle")
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter.setMinimumContentsLength(14)
        self.filter.addItem("All clips", None)
        for principle in data.catalogue.principles:
            self.filter.addItem(colour_dot_icon(principle_colour(data.catalogue, principle.code)),
                                f"{principle.code}  {principle.name}", principle.code)
        self.filter.currentIndexChanged.connect(
            lambda _i: model.set_principle_filter(self.filter.currentData()))

        self.view = ClipListView()
        self.view.setObjectName("clipList")
        self.view.setAccessibleName("Clips in review order")
        self.view.setModel(model)
        self.view.setItemDelegate(ClipDelegate(data, self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setUniformItemSizes(True)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        self._current_id: int | None = None

        self.empty = QLabel("No clips yet.\nMark a moment with I and O, then press C.")
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.delete_action = QAction(icon("delete"), "Delete clip", self)
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")])
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.setToolTip("Delete the selected clip (Delete)")
        describe_shortcut(self.delete_action, "Edit", "Delete the selected clip (in the clip list).")
        self.view.addAction(self.delete_action)
        self.move_up_action = self._move_action("move_clip_up", -1)
        self.move_down_action = self._move_action("move_clip_down", +1)
        delete_button = QToolButton()
        delete_button.setDefaultAction(self.delete_action)
        delete_button.setAutoRaise(True)
        delete_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.read_only_note = QLabel()  # shown in a supervision case (`set_read_only`)
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setProperty("muted", True)
        self.read_only_note.setWordWrap(True)
        self.read_only_note.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter, 1)
        top.addWidget(delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.read_only_note)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        model.modelReset.connect(self._update_empty)
        self._update_empty()

    def set_read_only(self, note: str, tip: str) -> None:
        """The clips of a supervision case: listed and playable, never renamed, reordered or deleted;
        `note` says so above the list."""
        for action in (self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.view.setDragEnabled(False)
        self.view.setAcceptDrops(False)
        self.read_only_note.setText(note)
        self.read_only_note.setToolTip(tip)
        self.read_only_note.show()

    def _move_action(self, action_id: str, delta: int) -> QAction:
        action = configure_action(QAction(spec(action_id).label, self), action_id,
                                  Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False: self._move_current(delta))
        self.view.addAction(action)
        return action

    def _move_current(self, delta: int) -> None:
        clip_id = self.current_clip_id()
        if clip_id is None:
            return
        row = self.model.row_of(clip_id)
        target = row + (2 if delta > 0 else -1)  # drop "before row": moving down skips the next one
        if 0 <= target <= self.model.rowCount():
            self.model.move_clip_to_row(clip_id, target)

    def _update_empty(self) -> None:
        has_rows = self.model.rowCount() > 0
        filtered = self.model.principle_filter is not None
        self.empty.setText("No clips tagged with this principle." if filtered else
                           "No clips yet.\nMark a moment with I and O, then press C.")
        self.view.setVisible(has_rows)
        self.empty.setVisible(not has_rows)

    def current_clip_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(CLIP_ID_ROLE) if index.isValid() else None

    def select_clip(self, clip_id: int | None) -> None:
        row = self.model.row_of(clip_id) if clip_id is not None else -1
        if row < 0:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
            return
        self.view.setCurrentIndex(self.model.index(row))

    def _remember_current(self) -> None:
        self._current_id = self.current_clip_id()

    def _restore_current(self) -> None:
        remembered = self._current_id
        row = self.model.row_of(remembered) if remembered is not None else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        elif remembered is not None:  # the clip went away (deleted, undone, filtered out)
            self._current_id = None
            self.currentClipChanged.emit(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._current_id = current.data(CLIP_ID_ROLE) if current.isValid() else None
        self.currentClipChanged.emit(self._current_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        clip_id = index.data(CLIP_ID_ROLE)
        if clip_id is not None:
            self.clipActivated.emit(clip_id)

