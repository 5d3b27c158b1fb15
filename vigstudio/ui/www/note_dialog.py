"""Editing a Wonder note: its kind, theme, words, and what it is about (kept, the session as a whole,
the observation selected in the editor, or the frame on screen). The dialog only collects values;
the editor makes the change as one undoable app call."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QWidget

from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import WonderKind, WonderNote
from vigstudio.ui.www.dialogs import ok_cancel

KIND_LABELS = {WonderKind.MOTHER_OBSERVED: "She observed", WonderKind.MOTHER_FELT: "She felt",
               WonderKind.REMINDED_OF: "It reminded her of", WonderKind.THERAPIST: "Therapist's reflection",
               WonderKind.THEME: "Theme"}


def kind_box() -> QComboBox:
    box = QComboBox()
    box.setAccessibleName("Kind of note")
    for kind, label in KIND_LABELS.items():
        box.addItem(label, kind.value)
    return box


def theme_box(catalogue: ObservationCatalogue) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName("Theme")
    box.addItem("In her own words", "")
    for t in catalogue.themes:
        box.addItem(t.label, t.code)
    return box


class NoteDialog(QDialog):
    def __init__(self, parent: QWidget | None, note: WonderNote, catalogue: ObservationCatalogue, *,
                 selected_observation: int | None = None, frame_on_screen: tuple[int, int] | None = None):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Wonder note")
        self.selected_observation, self.frame_on_screen = selected_observation, frame_on_screen
        self.kind = kind_box()
        self.kind.setCurrentIndex(max(0, self.kind.findData(note.kind.value)))
        self.theme = theme_box(catalogue)
        self.theme.setCurrentIndex(max(0, self.theme.findData(note.theme or "")))
        self.text = QLineEdit(note.text)
        self.text.setAccessibleName("Note text")
        self.about = QComboBox()
        self.about.setAccessibleName("What the note is about")
        self.about.addItem("As it is", "keep")
        self.about.addItem("The session as a whole", "none")
        if selected_observation is not None:
            self.about.addItem(f"The selected observation ({selected_observation})", "observation")
        if frame_on_screen is not None:
            self.about.addItem(f"The frame on screen ({frame_on_screen[1]})", "frame")
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Theme", self.theme)
        form.addRow("Words", self.text)
        form.addRow("About", self.about)
        ok_cancel(self, form)
        self.kind.currentIndexChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.theme.setEnabled(self.kind.currentData() == WonderKind.THEME.value)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for `WonderNotes.update`."""
        theme = self.theme.currentData() if self.theme.isEnabled() else ""
        values: dict[str, Any] = {"kind": self.kind.currentData(), "text": self.text.text(), "theme": theme or None}
        about = self.about.currentData()
        if about != "keep":
            values.update(observation_id=None, recording_id=None, frame=None)
        if about == "observation":
            values["observation_id"] = self.selected_observation
        elif about == "frame" and self.frame_on_screen is not None:
            values["recording_id"], values["frame"] = self.frame_on_screen
        return values
