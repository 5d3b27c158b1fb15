"""The Wonder panel of a WWW session: the reflection half's notes (what the mother observed in her own
words, what she felt, what it reminded her of, the therapist's reflections, themes from the catalogue
or in her own words), each optionally about the observation selected or the frame on screen. A click
on a note jumps to what it is about. Edits are undoable (`UndoableWonder`, on the editor's one stack)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.www import WonderNotes
from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import WonderKind, WonderNote
from vigstudio.ui.commands import EditCommand, UndoableEditor

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_LABELS = {WonderKind.MOTHER_OBSERVED: "She observed", WonderKind.MOTHER_FELT: "She felt",
               WonderKind.REMINDED_OF: "It reminded her of", WonderKind.THERAPIST: "Therapist's reflection",
               WonderKind.THEME: "Theme"}
LINKS = [("none", "About the session"), ("observation", "About the selected observation"),
         ("frame", "About the frame on screen")]


def note_line(note: WonderNote, catalogue: ObservationCatalogue) -> str:
    theme = ""
    if note.theme:
        theme = next((t.label for t in catalogue.themes if t.code == note.theme), note.theme)
    words = " — ".join(part for part in (theme, note.text) if part)
    about = (f" (observation {note.observation_id})" if note.observation_id else
             f" (frame {note.frame})" if note.frame is not None else "")
    return f"{KIND_LABELS.get(note.kind, note.kind)}: {words}{about}"


class _NoteCommand(EditCommand):
    def __init__(self, notes: WonderNotes, text: str):
        super().__init__(notes.service, text)
        self.notes = notes


class AddNote(_NoteCommand):
    def __init__(self, notes: WonderNotes, note: WonderNote):
        super().__init__(notes, f"Add {KIND_LABELS[note.kind].lower()} note")
        self.note: WonderNote = note

    def undo_edit(self) -> None:
        self.note = self.notes.delete(self.note.id)  # type: ignore[arg-type]

    def do(self) -> None:
        self.notes.restore(self.note)


class DeleteNote(_NoteCommand):
    def __init__(self, notes: WonderNotes, note: WonderNote):
        super().__init__(notes, f"Delete {KIND_LABELS[note.kind].lower()} note")
        self.note = note

    def undo_edit(self) -> None:
        self.notes.restore(self.note)

    def do(self) -> None:
        self.note = self.notes.delete(self.note.id)  # type: ignore[arg-type]


class EditNote(_NoteCommand):
    def __init__(self, notes: WonderNotes, before: WonderNote, after: WonderNote):
        super().__init__(notes, f"Edit {KIND_LABELS[after.kind].lower()} note")
        self.before, self.after = before, after

    def undo_edit(self) -> None:
        self.notes.restore_fields(self.before)

    def do(self) -> None:
        self.notes.restore_fields(self.after)


class UndoableWonder:
    def __init__(self, notes: WonderNotes, undoable: UndoableEditor):
        self.notes, self.undoable = notes, undoable

    def add(self, session_id: int, kind: WonderKind | str, text: str = "", **links) -> WonderNote:
        note = self.notes.add(session_id, kind, text, **links)
        self.undoable.push(AddNote(self.notes, note))
        return note

    def delete(self, note_id: int) -> WonderNote:
        note = self.notes.delete(note_id)
        self.undoable.push(DeleteNote(self.notes, note))
        return note

    def update(self, note_id: int, **changes) -> WonderNote:
        before, after = self.notes.update(note_id, **changes)
        if before != after:
            self.undoable.push(EditNote(self.notes, before, after))
        return after


class WonderPanel(QWidget):
    addRequested = Signal(str, str, str, str)  # kind, text, theme code ("" for none), link (see LINKS)
    deleteRequested = Signal(int)
    textEdited = Signal(int, str)
    noteActivated = Signal(int)

    def __init__(self, catalogue: ObservationCatalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of note")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItem("In her own words", "")
        for t in catalogue.themes:
            self.theme.addItem(t.label, t.code)
        self.text = QLineEdit()
        self.text.setAccessibleName("Note text")
        self.text.setPlaceholderText("Her words, or yours")
        self.text.returnPressed.connect(self._add)
        self.link = QComboBox()
        self.link.setAccessibleName("What the note is about")
        for key, label in LINKS:
            self.link.addItem(label, key)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add)
        self.edit_button = QPushButton("Set text")
        self.edit_button.setToolTip("Put the words typed above on the selected note")
        self.edit_button.clicked.connect(self._edit)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._delete)
        self.list = QListWidget()
        self.list.setObjectName("wonderNotes")
        self.list.setAccessibleName("Wonder notes")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(lambda item: self.noteActivated.emit(item.data(ID_ROLE)))
        self.empty = QLabel("The Wonder half: what she saw and felt, in her words.")
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        for widget in (self.kind, self.theme, self.text, self.link):
            if isinstance(widget, QComboBox):  # narrow enough for the right column of a laptop screen
                widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                widget.setMinimumContentsLength(12)
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.theme.setVisible(self.kind.currentData() == WonderKind.THEME.value)

    def set_notes(self, notes: list[WonderNote]) -> None:
        selected = self.selected_id()
        self.list.clear()
        for note in notes:
            item = QListWidgetItem(note_line(note, self.catalogue))
            item.setData(ID_ROLE, note.id)
            self.list.addItem(item)
            if note.id == selected:
                self.list.setCurrentItem(item)
        self.empty.setVisible(not notes)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    def _add(self) -> None:
        theme = self.theme.currentData() if self.kind.currentData() == WonderKind.THEME.value else ""
        self.addRequested.emit(self.kind.currentData(), self.text.text(), theme, self.link.currentData())

    def added(self) -> None:
        self.text.clear()

    def _delete(self) -> None:
        if (note_id := self.selected_id()) is not None:
            self.deleteRequested.emit(note_id)

    def _edit(self) -> None:
        if (note_id := self.selected_id()) is not None:
            self.textEdited.emit(note_id, self.text.text())


class EditorWonder(QObject):
    """The Wonder part of one editor window: its panel, its dock beside the Session dock (shown for a
    WWW session) and its undoable edits. It reaches the window only through its public methods."""

    def __init__(self, window: EditorWindow):
        super().__init__(window)
        self.window = window
        self.undoable = UndoableWonder(WonderNotes(window.service), window.undoable)
        self.panel = panel = WonderPanel(window.observations_panel.catalogue)
        panel.addRequested.connect(self._add)
        panel.deleteRequested.connect(lambda note_id: window.run_edit(self.undoable.delete, note_id))
        panel.textEdited.connect(lambda note_id, text: window.run_edit(self.undoable.update, note_id, text=text))
        panel.noteActivated.connect(self._activated)
        window.data.changed.connect(lambda parts: "notes" in parts and panel.set_notes(window.data.notes))
        panel.set_notes(window.data.notes)
        self.dock = window.add_dock("Wonder", "wonderDock", panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.setVisible(window.data.is_www or bool(window.data.notes))

    def _add(self, kind: str, text: str, theme: str, link: str) -> None:
        window = self.window
        links: dict = {"theme": theme or None}
        if link == "observation":
            links["observation_id"] = window.observations_panel.selected_id()
            if links["observation_id"] is None:
                window.show_message("Select an observation in the list first.")
                return
        elif link == "frame" and window.recording is not None:
            links["recording_id"], links["frame"] = window.recording.id, window.playback.current_frame
        if window.run_edit(self.undoable.add, window.data.session_id, kind, text, **links) is not None:
            self.panel.added()

    def _activated(self, note_id: int) -> None:
        window = self.window
        note = next((n for n in window.data.notes if n.id == note_id), None)
        if note is None:
            return
        if note.observation_id is not None:
            window.go_to_observation(note.observation_id)
        elif note.recording_id is not None and note.frame is not None:
            if window.recording is None or window.recording.id != note.recording_id:
                window.open_recording(note.recording_id)
            window.playback.seek(note.frame)

    def place(self) -> None:
        """Once the right column is arranged: the Wonder dock becomes a tab beside Session (only when
        shown: a hidden tab would still change a VIG session's column)."""
        if not self.dock.isHidden():
            self.window.tabifyDockWidget(self.window.session_dock, self.dock)
