"""The Wonder panel of a WWW session: the reflection half's notes (what the mother observed in her own
words, what she felt, what it reminded her of, the therapist's reflections, themes from the catalogue
or in her own words), each optionally about the observation selected or the frame on screen. A click
on a note jumps to what it is about. Edits are undoable (`ui.www.record_commands`, on the editor's one
stack)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vigstudio.app.www import wonder
from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import WonderKind, WonderNote
from vigstudio.ui.www.note_dialog import KIND_LABELS, NoteDialog, kind_box, theme_box
from vigstudio.ui.www.record_commands import UndoableRecords, note_calls
from vigstudio.ui.www.record_list import RecordList, button_row

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


def _describe(note: WonderNote) -> str:
    return f"{KIND_LABELS[note.kind].lower()} note"


class WonderPanel(QWidget):
    addRequested = Signal(str, str, str, str)  # kind, text, theme code ("" for none), link (see LINKS)
    deleteRequested = Signal(int)
    editRequested = Signal(int)  # kind, theme, words, what it is about (a dialog)
    noteActivated = Signal(int)

    def __init__(self, catalogue: ObservationCatalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.kind = kind_box()
        self.theme = theme_box(catalogue)
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
        self.records = RecordList("wonderNotes", "Wonder notes", "The Wonder half: what she saw and felt, in her words.",
                                  wrap=True)
        self.list, self.empty = self.records.list, self.records.empty
        self.records.activated.connect(self.noteActivated)
        self.records.deleteRequested.connect(self.deleteRequested)
        self.records.editRequested.connect(self.editRequested)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change the selected note's kind, theme, words or what it is about (F2)")
        self.edit_button.clicked.connect(self.records.request_edit)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.records.request_delete)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        for widget in (self.kind, self.theme, self.text, self.link):
            if isinstance(widget, QComboBox):  # narrow enough for the right column of a laptop screen
                widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                widget.setMinimumContentsLength(12)
            layout.addWidget(widget)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        layout.addWidget(self.records, 1)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.theme.setVisible(self.kind.currentData() == WonderKind.THEME.value)

    def set_notes(self, notes: list[WonderNote]) -> None:
        self.records.set_rows((n.saved_id, note_line(n, self.catalogue), None) for n in notes)

    def selected_id(self) -> int | None:
        return self.records.selected_id()

    def _add(self) -> None:
        theme = self.theme.currentData() if self.kind.currentData() == WonderKind.THEME.value else ""
        self.addRequested.emit(self.kind.currentData(), self.text.text(), theme, self.link.currentData())

    def added(self) -> None:
        self.text.clear()


def install_wonder(window) -> WonderPanel:
    """The Wonder dock of the editor, beside the Session dock (shown for a WWW session)."""
    window.undoable_wonder = undoable = UndoableRecords(note_calls(window.service), window.undoable, _describe)
    panel = WonderPanel(window.observations_panel.catalogue)

    def add(kind: str, text: str, theme: str, link: str) -> None:
        links: dict = {"theme": theme or None}
        if link == "observation":
            links["observation_id"] = window.observations_panel.selected_id()
            if links["observation_id"] is None:
                window.show_message("Select an observation in the list first.")
                return
        elif link == "frame" and window.recording is not None:
            links["recording_id"], links["frame"] = window.recording.id, window.playback.current_frame
        if window.run_edit(undoable.add, wonder.add_note, window.service, window.data.session_id, kind, text, **links) is not None:
            panel.added()

    def activated(note_id: int) -> None:
        note = next((n for n in window.data.notes if n.id == note_id), None)
        if note is None:
            return
        if note.observation_id is not None:
            window.go_to_observation(note.observation_id)
        elif note.recording_id is not None and note.frame is not None:
            if window.recording is None or window.recording.id != note.recording_id:
                window.open_recording(note.recording_id)
            window.playback.seek(note.frame)

    panel.addRequested.connect(add)
    panel.deleteRequested.connect(lambda note_id: window.run_edit(undoable.delete, note_id))
    panel.editRequested.connect(lambda note_id: edit_note(window, note_id))
    panel.noteActivated.connect(activated)
    window.data.changed.connect(lambda parts: "notes" in parts and panel.set_notes(window.data.notes))
    panel.set_notes(window.data.notes)
    window.wonder_dock = dock = window.add_dock("Wonder", "wonderDock", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    dock.setVisible(window.data.is_www or bool(window.data.notes))
    return panel


def edit_note(window, note_id: int, dialog: NoteDialog | None = None) -> WonderNote | None:
    """The note's dialog; what it changes is one undoable edit."""
    note = next((n for n in window.data.notes if n.id == note_id), None)
    if note is None:
        return None
    if dialog is None:
        on_screen = (window.recording.id, window.playback.current_frame) if window.recording is not None else None
        dialog = NoteDialog(window, note, window.wonder_panel.catalogue,
                            selected_observation=window.observations_panel.selected_id(), frame_on_screen=on_screen)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return window.run_edit(window.undoable_wonder.update, note_id, **dialog.values())


def place_wonder(window) -> None:
    """Once the columns are arranged: the Wonder dock becomes a tab beside Observations, the session's
    two halves together (only when shown: a hidden tab would still change a VIG session's column).
    Beside Session it made a fourth tab in the right column, whose titles a laptop screen cut to
    "Prin…", "S…"."""
    if not window.wonder_dock.isHidden():
        window.tabifyDockWidget(window.observations_dock, window.wonder_dock)
        window.observations_dock.raise_()  # the Watch half comes first
