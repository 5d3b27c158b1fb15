"""Stills: the frames kept to pause on in the review, each with the caption the family will read.

`StillListModel` is a Qt model over `SessionData`; the caption editor commits as you type (through
the window's undoable caption edit). Pictures of stills are decoded in the background as soon as
the editor opens or a still appears (`StillPictureLoader`), or taken from the frame the player shows;
they are kept in memory only (never on disk: they show a family).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.domain.model import Still
from vigstudio.ui import style
from vigstudio.ui.editor.session_data import SessionData
from vigstudio.ui.editor.still_pictures import StillPictureLoader
from vigstudio.ui.editor.text_commit import CommittingTextEdit
from vigstudio.ui.icons import icon
from vigstudio.ui.shortcuts import describe_shortcut

STILL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_SIZE = QSize(96, 54)
PREVIEW_HEIGHT = 130


def short_caption(caption: str, limit: int = 60) -> str:
    """A caption on one line, cut with "…" after `limit` characters (lists that name a still)."""
    caption = " ".join(caption.split())
    return caption if len(caption) <= limit else caption[:limit - 1] + "…"


def still_title(still: Still, number: int) -> str:
    return f"Still {number} · frame {still.frame}\n{short_caption(still.caption) or 'No caption yet'}"


class StillListModel(QAbstractListModel):
    def __init__(self, data: SessionData, parent=None):
        super().__init__(parent)
        self._data = data
        self._rows: list[Still] = list(data.stills)
        self._pictures: dict[tuple[int, int], QPixmap] = {}  # (recording id, frame) -> small picture
        data.changed.connect(lambda parts: "stills" in parts and self._refresh())

    def _refresh(self) -> None:
        if self._data.stills == self._rows:
            return
        if [s.id for s in self._data.stills] == [s.id for s in self._rows]:
            self._rows = list(self._data.stills)  # same stills, new captions: redraw in place
            if self._rows:
                self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))
            return
        self.beginResetModel()
        self._rows = list(self._data.stills)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def still_at(self, row: int) -> Still | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, still_id: int) -> int:
        return next((i for i, s in enumerate(self._rows) if s.id == still_id), -1)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        still = self.still_at(index.row()) if index.isValid() else None
        if still is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return still_title(still, index.row() + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            picture = self._pictures.get((still.recording_id, still.frame))
            return QIcon(picture) if picture is not None else icon("still")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Frame {still.frame}. Select to show it and edit its caption."
        if role == STILL_ID_ROLE:
            return still.id
        return None

    def picture(self, recording_id: int, frame: int) -> QPixmap | None:
        return self._pictures.get((recording_id, frame))

    def missing_pictures(self) -> set[tuple[int, int]]:
        """(recording id, frame) of the stills shown without their picture yet."""
        return {(s.recording_id, s.frame) for s in self._rows} - self._pictures.keys()

    def remember_picture(self, recording_id: int, frame: int, image: QImage) -> None:
        """Keep a small copy of a still's frame (decoded for it, or the one the player showed)."""
        if not any(s.recording_id == recording_id and s.frame == frame for s in self._rows):
            return
        key = (recording_id, frame)
        if key in self._pictures or image.isNull():
            return
        self._pictures[key] = QPixmap.fromImage(image.scaledToHeight(
            PREVIEW_HEIGHT * 2, Qt.TransformationMode.SmoothTransformation))
        for row, still in enumerate(self._rows):
            if (still.recording_id, still.frame) == key:
                self.dataChanged.emit(self.index(row), self.index(row), [Qt.ItemDataRole.DecorationRole])


class StillsPanel(QWidget):
    stillSelected = Signal(int)  # still id: show its frame
    captionCommitted = Signal(int, str, bool)  # still id, caption, final
    captionClosed = Signal()  # left the caption with nothing new (the undo step ends)
    deleteRequested = Signal(int)
    doneTyping = Signal()  # Esc in the caption: the keys go back to the video

    def __init__(self, data: SessionData, parent: QWidget | None = None):
        super().__init__(parent)
        self._data = data
        self.model = StillListModel(data, self)
        # Each still's picture, decoded off the GUI thread (after the model has read the new stills).
        self.pictures = StillPictureLoader(data.service, PREVIEW_HEIGHT * 2, self)
        self.pictures.pictureReady.connect(self._picture_ready)
        data.changed.connect(lambda parts: "stills" in parts and self._load_pictures())
        data.closed.connect(self.stop_pictures)
        self._still_id: int | None = None
        self._read_only = False

        self.view = QListView()
        self.view.setObjectName("stillList")
        self.view.setAccessibleName("Stills")
        self.view.setModel(self.model)
        self.view.setIconSize(ICON_SIZE)
        self.view.setWordWrap(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._restore)

        self.preview = QLabel()
        self.preview.setObjectName("stillPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(PREVIEW_HEIGHT)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preview.setStyleSheet(f"background: {style.REVIEW_SURFACE}; border-radius: 6px;"
                                   f" color: {style.REVIEW_MUTED};")

        self.caption_label = QLabel("Caption — the words the family will read")
        self.caption_label.setProperty("muted", True)
        self.caption_label.setWordWrap(True)
        self.caption = CommittingTextEdit()
        self.caption.setObjectName("stillCaption")
        self.caption.setAccessibleName("Caption of the still")
        self.caption.setPlaceholderText("e.g. You waited, and she turned to you")
        caption_font = QFont(self.caption.font())
        caption_font.setPointSizeF(caption_font.pointSizeF() * 1.25)
        self.caption.setFont(caption_font)
        self.caption.setMaximumHeight(96)
        self.caption.commit.connect(self._caption_commit)
        self.caption.closed.connect(self.captionClosed)
        self.caption.escaped.connect(self.doneTyping)

        self.delete_action = QAction(icon("delete"), "Delete still", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.setToolTip("Delete the selected still (Delete)")
        describe_shortcut(self.delete_action, "Edit", "Delete the selected still (in the stills list).")
        self.delete_action.triggered.connect(self._delete_current)
        self.view.addAction(self.delete_action)
        self.delete_button = delete_button = QToolButton()
        delete_button.setDefaultAction(self.delete_action)
        delete_button.setAutoRaise(True)

        self.empty = QLabel("No stills yet. Press S to keep the frame on screen.")
        self.empty.setObjectName("EmptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        header = QHBoxLayout()
        header.addWidget(self.caption_label, 1)
        header.addWidget(delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.preview)
        layout.addLayout(header)
        layout.addWidget(self.caption)
        self.model.modelReset.connect(self._update_state)
        self.model.dataChanged.connect(self._data_changed)
        self._update_state()
        self._load_pictures()

    # -- selection ----------------------------------------------------------------------------------

    def select_still(self, still_id: int | None) -> None:
        row = self.model.row_of(still_id) if still_id is not None else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        else:
            self.view.setCurrentIndex(QModelIndex())

    def edit_caption(self) -> None:
        """Put the cursor in the caption of the selected still (right after S)."""
        if self._still_id is not None:
            self.caption.setFocus(Qt.FocusReason.OtherFocusReason)
            self.caption.moveCursor(self.caption.textCursor().MoveOperation.End)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        new_id = current.data(STILL_ID_ROLE) if current.isValid() else None
        if new_id == self._still_id:
            return
        if self._still_id is not None:
            self.caption.flush(final=True)  # the previous still keeps what was typed
        self._still_id = new_id
        self._load_caption(force=True)
        self._update_state()
        if new_id is not None:
            self.stillSelected.emit(new_id)

    def _restore(self) -> None:
        row = self.model.row_of(self._still_id) if self._still_id is not None else -1
        self.view.blockSignals(True)
        self.view.selectionModel().blockSignals(True)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        self.view.selectionModel().blockSignals(False)
        self.view.blockSignals(False)
        if row < 0:
            self._still_id = None
        self._load_caption(force=False)

    def _data_changed(self, *_args) -> None:
        self._load_caption(force=False)  # e.g. an undone caption
        self._show_preview()

    def _load_caption(self, force: bool) -> None:
        still = self._data.still(self._still_id) if self._still_id is not None else None
        if force:
            self.caption.discard_pending()  # a new still: nothing typed for it yet
        self.caption.set_committed_text(still.caption if still is not None else "")

    # -- state --------------------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        """Stills of a supervision case: shown with their captions, never changed or deleted."""
        self._read_only = read_only
        self.caption.setReadOnly(read_only)
        self.caption.setPlaceholderText("" if read_only else "e.g. You waited, and she turned to you")
        self.caption_label.setText("Caption (read-only)" if read_only else "Caption — the words the family will read")
        self._update_state()

    def _update_state(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.view.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        for widget in (self.preview, self.caption_label, self.caption, self.delete_button):
            widget.setVisible(has_rows)
        self.delete_button.setVisible(has_rows and not self._read_only)
        selected = self._still_id is not None
        self.caption.setEnabled(selected)
        self.delete_action.setEnabled(selected and not self._read_only)
        self._show_preview()

    def _show_preview(self) -> None:
        still = self._data.still(self._still_id) if self._still_id is not None else None
        picture = self.model.picture(still.recording_id, still.frame) if still is not None else None
        if picture is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("Select a still" if still is None else f"Frame {still.frame}")
            return
        self.preview.setPixmap(picture.scaled(QSize(max(1, self.preview.width() - 8), PREVIEW_HEIGHT - 8),
                                              Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_preview()

    def frame_shown(self, recording_id: int, frame: int, image: QImage) -> None:
        self.model.remember_picture(recording_id, frame, image)
        self.pictures.forget([(recording_id, frame)])  # no need to decode what the player showed

    # -- pictures -----------------------------------------------------------------------------------

    def _load_pictures(self) -> None:
        self.pictures.request(self.model.missing_pictures())

    def _picture_ready(self, recording_id: int, frame: int, image: QImage) -> None:
        self.model.remember_picture(recording_id, frame, image)

    def stop_pictures(self) -> None:
        """The session closes (or the library locks): no more decoding, late pictures ignored."""
        self.pictures.stop()

    def flush(self) -> None:
        self.caption.flush(final=True)

    def _caption_commit(self, text: str, final: bool) -> None:
        if self._still_id is not None:
            self.captionCommitted.emit(self._still_id, text, final)

    def _delete_current(self) -> None:
        if self._still_id is not None:
            self.deleteRequested.emit(self._still_id)
