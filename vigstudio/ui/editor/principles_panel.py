"""The principles panel: the catalogue's six principles and their behaviours, who did it, a few words,
and the tags already on the selected clip.

It only asks (signals); the editor window makes the undoable edit and the panel redraws from the
reload. Double-clicking a behaviour (or a principle) tags at once with the current who/text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.editing import ClipWithTags
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Annotation, Who
from vigstudio.domain.principles import Catalogue
from vigstudio.ui import style
from vigstudio.ui.editor.chips import colour_dot_icon, principle_colour, principle_name
from vigstudio.ui.editor.stills_panel import short_caption
from vigstudio.ui.editor.text_commit import FieldLineEdit
from vigstudio.ui.icons import icon
from vigstudio.ui.shortcuts import describe_shortcut

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
PRINCIPLE_ROLE = Qt.ItemDataRole.UserRole + 2
ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 3

WHO_BUTTON_STYLE = (f"QToolButton {{ border: 1px solid {style.BORDER}; border-radius: 6px; padding: 3px 6px; }}"
                    f"QToolButton:checked {{ background: {style.ACCENT_SOFT}; border-color: {style.ACCENT}; }}")
TAGS_MAX_ROWS_HEIGHT = 240  # about five wrapped tags; more scroll
TARGET_NAME_LIMIT = 32  # characters of a clip's name in the two-line "Tagging …" heading
WHO_LABELS = {Who.PARENT: "Parent", Who.CHILD: "Child", Who.PRACTITIONER: "Practitioner"}


@dataclass(frozen=True)
class TagRequest:
    clip_id: int
    principle: str
    behaviour: str | None
    who: Who | None
    text: str
    frame: int | None  # None: the whole clip


def describe_tag(catalogue: Catalogue, annotation: Annotation) -> str:
    """"P2 Encouraging initiatives · Waiting · parent · frame 40 — she waits" (for the tags list)."""
    parts = [f"{annotation.principle} {principle_name(catalogue, annotation.principle)}"]
    if annotation.behaviour:
        try:
            parts.append(catalogue.behaviour(annotation.behaviour).text)
        except InvalidInput:
            parts.append(annotation.behaviour)
    if annotation.who is not None:
        parts.append(WHO_LABELS.get(annotation.who, str(annotation.who)).lower())
    if annotation.frame is not None:
        parts.append(f"frame {annotation.frame}")
    text = " · ".join(parts)
    return f"{text} — {annotation.text}" if annotation.text else text


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the tree's current width (Qt's own size hint assumes the
    full column width and ignores indentation, so long behaviours would be cut short with "…")."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        tree = self.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = 1 if index.parent().isValid() else 0
        icon_width = opt.decorationSize.width() + 6 if not opt.icon.isNull() else 0
        width = max(60, tree.viewport().width() - tree.indentation() * (depth + 1) - icon_width - 12)
        rect = QFontMetrics(opt.font).boundingRect(QRect(0, 0, width, 10_000),
                                                   int(Qt.TextFlag.TextWordWrap), opt.text)
        return QSize(width, rect.height() + 8)


class _PrinciplesTree(QTreeWidget):
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()  # re-measure wrapped rows at the new width


class _TagsList(QListWidget):
    """As tall as its tags, up to `TAGS_MAX_ROWS_HEIGHT` (then it scrolls), so the tree above gets the
    rest of the panel; a fixed height showed a tag and a half, or left a box of white under one tag."""

    def sizeHint(self) -> QSize:
        # Laid-out rows, wrapped at the list's width (sizeHintForRow measures one unwrapped line).
        rows = sum(self.visualItemRect(self.item(i)).height() + 2 * self.spacing() for i in range(self.count()))
        height = min(max(rows, self.fontMetrics().lineSpacing() * 2), TAGS_MAX_ROWS_HEIGHT) + 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().lineSpacing() * 2 + 2 * self.frameWidth())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # wrapped tags are taller when narrower


class PrinciplesPanel(QWidget):
    tagRequested = Signal(object)  # TagRequest
    removeRequested = Signal(int)  # annotation id

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.catalogue = catalogue
        self._clip: ClipWithTags | None = None
        self._clip_label = ""
        self._frame: int | None = None
        self._read_only = False

        self.target = QLabel()
        self.target.setObjectName("tagTarget")
        self.target.setWordWrap(True)
        self.target.setProperty("muted", True)
        self.target.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Always two lines high, whatever it says: selecting a clip changed its one line to two and
        # moved the whole tree down 17 px under the pointer (a click aimed at P1 tagged P2).
        self.target.setFixedHeight(2 * self.target.fontMetrics().lineSpacing() + 2)

        self.tree = _PrinciplesTree()
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.setObjectName("principlesTree")
        self.tree.setAccessibleName("Principles and behaviours")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setExpandsOnDoubleClick(False)  # double-click tags; the arrow expands
        self.tree.setMinimumHeight(160)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # so long behaviours wrap
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill_tree()
        self.tree.currentItemChanged.connect(lambda *_: self._update_state())
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._tag_item(item))

        self.who_buttons: dict[Who, QToolButton] = {}
        self.who_group = QButtonGroup(self)
        self.who_group.setExclusive(False)  # none is a valid answer: click again to clear
        who_row = QHBoxLayout()
        who_row.setSpacing(4)
        for who, label in WHO_LABELS.items():
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setObjectName(f"who_{who.value}")
            button.setToolTip(f"Who: the {label.lower()} did this (click again to leave it open)")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setStyleSheet(WHO_BUTTON_STYLE)
            self.who_group.addButton(button)
            self.who_buttons[who] = button
            who_row.addWidget(button)
        self.who_group.buttonToggled.connect(self._who_toggled)

        self.text = FieldLineEdit()
        self.text.setObjectName("tagText")
        self.text.setPlaceholderText("What you see (optional)")
        self.text.setAccessibleName("Tag note")
        self.text.returnPressed.connect(self.request_tag)
        self.text.cancelled.connect(self.text.clear)

        self.frame_only = QCheckBox("Only the current frame")
        self.frame_only.setObjectName("tagFrameOnly")
        self.frame_only.setToolTip("Tag one frame inside the clip instead of the whole clip")

        self.tag_button = QPushButton(icon("tag"), "Tag clip")
        self.tag_button.setObjectName("tagButton")
        self.tag_button.setProperty("primary", True)
        self.tag_button.setToolTip("Tag the selected clip with the chosen principle (or double-click it)")
        self.tag_button.clicked.connect(self.request_tag)
        for widget in (self.tag_button, self.frame_only):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys with the video

        self.tags = _TagsList()
        self.tags.setObjectName("clipTags")
        self.tags.setAccessibleName("Tags on this clip")
        self.tags.setWordWrap(True)
        self.tags.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tags.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.tags.currentItemChanged.connect(lambda *_: self._update_state())
        self.remove_action = QAction(icon("remove"), "Remove tag", self)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.setToolTip("Remove the selected tag (Delete)")
        describe_shortcut(self.remove_action, "Edit", "Remove the selected tag (in the clip's tags).")
        self.remove_action.triggered.connect(self._remove_current)
        self.tags.addAction(self.remove_action)
        remove_button = QToolButton()
        remove_button.setDefaultAction(self.remove_action)
        remove_button.setAutoRaise(True)

        tags_header = QHBoxLayout()
        tags_label = QLabel("Tags on this clip")
        tags_label.setProperty("muted", True)
        tags_header.addWidget(tags_label, 1)
        tags_header.addWidget(remove_button)

        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.tag_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.target)
        layout.addWidget(self.tree, 1)
        layout.addLayout(who_row)
        layout.addWidget(self.text)
        layout.addWidget(self.frame_only)
        layout.addLayout(actions)
        layout.addLayout(tags_header)
        layout.addWidget(self.tags)
        self.set_clip(None)

    def _fill_tree(self) -> None:
        for principle in self.catalogue.principles:
            top = QTreeWidgetItem(self.tree, [f"{principle.code}  {principle.name}"])
            top.setIcon(0, colour_dot_icon(principle_colour(self.catalogue, principle.code)))
            top.setData(0, CODE_ROLE, None)
            top.setData(0, PRINCIPLE_ROLE, principle.code)
            font = top.font(0)
            font.setWeight(font.Weight.DemiBold)
            top.setFont(0, font)
            top.setToolTip(0, f"{principle.name}: double-click to tag the clip with this principle")
            for behaviour in principle.behaviours:
                child = QTreeWidgetItem(top, [behaviour.text])
                child.setData(0, CODE_ROLE, behaviour.code)
                child.setData(0, PRINCIPLE_ROLE, principle.code)
                child.setToolTip(0, f"{behaviour.code} {behaviour.text}")

    # -- inputs -------------------------------------------------------------------------------------

    def set_clip(self, clip: ClipWithTags | None, label: str = "") -> None:
        """The clip tags go to (None: nothing selected), with how the list names it."""
        previous = self._clip.clip.id if self._clip is not None else None
        self._clip, self._clip_label = clip, label
        current_tag = self.tags.currentItem().data(ANNOTATION_ROLE) if self.tags.currentItem() else None
        self.tags.clear()
        if clip is not None:
            for annotation in clip.annotations:
                item = QListWidgetItem(colour_dot_icon(principle_colour(self.catalogue, annotation.principle)),
                                       describe_tag(self.catalogue, annotation))
                item.setData(ANNOTATION_ROLE, annotation.id)
                self.tags.addItem(item)
                if annotation.id == current_tag and clip.clip.id == previous:
                    self.tags.setCurrentItem(item)
        self.tags.updateGeometry()  # as tall as its tags
        self._update_state()

    def set_read_only(self, read_only: bool) -> None:
        """Tags of a supervision case are the practitioner's: shown, never changed (no tagging offered)."""
        self._read_only = read_only
        for widget in (*self.who_buttons.values(), self.text, self.frame_only, self.tag_button):
            widget.setVisible(not read_only)
        self._update_state()

    def set_frame(self, frame: int | None) -> None:
        self._frame = frame
        self._update_state()

    # -- state --------------------------------------------------------------------------------------

    def selected_principle(self) -> tuple[str | None, str | None]:
        item = self.tree.currentItem()
        if item is None:
            return None, None
        return item.data(0, PRINCIPLE_ROLE), item.data(0, CODE_ROLE)

    def select(self, principle: str, behaviour: str | None = None) -> None:
        """Select a principle (and behaviour) in the tree, as a click would."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, PRINCIPLE_ROLE) != principle:
                continue
            if behaviour is None:
                self.tree.setCurrentItem(top)
                return
            for j in range(top.childCount()):
                if top.child(j).data(0, CODE_ROLE) == behaviour:
                    top.setExpanded(True)
                    self.tree.setCurrentItem(top.child(j))
                    return
        raise KeyError(behaviour or principle)

    def set_who(self, who: Who | None) -> None:
        """Choose who did it for the next tags (None: nobody in particular), as the buttons would."""
        for key, button in self.who_buttons.items():
            button.setChecked(key == who)

    def who(self) -> Who | None:
        return next((w for w, b in self.who_buttons.items() if b.isChecked()), None)

    def _who_toggled(self, button, checked: bool) -> None:
        if checked:  # one at a time, but all may be off
            for other in self.who_buttons.values():
                if other is not button and other.isChecked():
                    other.setChecked(False)

    def _frame_inside(self) -> bool:
        return self._clip is not None and self._frame is not None and self._clip.clip.contains(self._frame)

    def _update_state(self) -> None:
        clip = self._clip
        if clip is None:
            self.target.setText("Select a clip (or make one with I, O and C) to tag it.")
        else:
            c = clip.clip
            self.target.setText(f"Tagging <b>{html.escape(short_caption(self._clip_label, TARGET_NAME_LIMIT))}</b>"
                                f" — frames {c.start_frame}–{c.end_frame - 1}")
        inside = self._frame_inside()
        self.frame_only.setEnabled(inside)
        self.frame_only.setText(f"Only frame {self._frame}" if inside else "Only the current frame")
        if not inside:
            self.frame_only.setChecked(False)
        principle, _ = self.selected_principle()
        self.tag_button.setEnabled(not self._read_only and clip is not None and principle is not None)
        self.remove_action.setEnabled(not self._read_only and self.tags.currentItem() is not None)
        if self._read_only:
            self.target.setText(f"Tags of <b>{html.escape(short_caption(self._clip_label, TARGET_NAME_LIMIT))}</b>"
                                " (read-only)" if clip is not None
                                else "Select a clip to see its tags (read-only).")

    # -- requests -----------------------------------------------------------------------------------

    def _tag_item(self, item: QTreeWidgetItem) -> None:
        self.tree.setCurrentItem(item)
        self.request_tag()

    def request_tag(self) -> None:
        principle, behaviour = self.selected_principle()
        if self._clip is None or principle is None or self._read_only:
            return
        frame = self._frame if self.frame_only.isChecked() and self._frame_inside() else None
        self.tagRequested.emit(TagRequest(self._clip.clip.id, principle, behaviour, self.who(),
                                          self.text.text().strip(), frame))

    def tag_done(self) -> None:
        """After a tag was made: ready for the next one (the words were for that tag only)."""
        self.text.clear()
        self.frame_only.setChecked(False)

    def _remove_current(self) -> None:
        item = self.tags.currentItem()
        if item is not None:
            self.removeRequested.emit(item.data(ANNOTATION_ROLE))
