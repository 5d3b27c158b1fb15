"""Editing an observation: its frames (one moment, or a range shown first to last frame, kept end
exclusive as for clips), its code, words, coder and the initiative a response answers. The dialog
only collects values; the editor makes the change as one undoable app call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import Observation
from vigstudio.ui.www.dialogs import ok_cancel


def code_box(catalogue: ObservationCatalogue) -> QComboBox:
    """The catalogue's codes with their colours (the panel's picker and the dialog's)."""
    box = QComboBox()
    box.setAccessibleName("Observation code")
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    for c in catalogue.codes:
        box.addItem(f"{c.code} · {c.label}", c.code)
        box.setItemData(box.count() - 1, QColor(c.colour), Qt.ItemDataRole.DecorationRole)
    return box


class ObservationDialog(QDialog):
    def __init__(self, parent: QWidget | None, obs: Observation, catalogue: ObservationCatalogue,
                 frame_count: int, initiatives: list[Observation], current_frame: int | None = None):
        super().__init__(parent)
        self.setObjectName("observationDialog")
        self.setWindowTitle(f"Observation {obs.id}")
        last = max(0, frame_count - 1)
        self.first = QSpinBox()
        self.first.setRange(0, last)
        self.first.setValue(obs.frame)
        self.first.setAccessibleName("First frame")
        self.last = QSpinBox()
        self.last.setRange(0, last)
        self.last.setValue(obs.last_frame)
        self.last.setAccessibleName("Last frame")
        self.moment = QCheckBox("A single moment")
        self.moment.setChecked(obs.end_frame is None)
        self.moment.toggled.connect(self._enable)
        self.here = QPushButton("Frame on screen")
        self.here.setToolTip("Start the observation at the frame the editor shows")
        self.here.setEnabled(current_frame is not None)
        self.here.clicked.connect(lambda: self._start_at(current_frame or 0))
        self.code = code_box(catalogue)
        self.code.setCurrentIndex(max(0, self.code.findData(obs.code)))
        self.text = QLineEdit(obs.text)
        self.text.setAccessibleName("Observation text")
        self.coder = QLineEdit(obs.coder)
        self.coder.setPlaceholderText("You (leave empty), or a second coder's name")
        self.coder.setAccessibleName("Coder")
        self.answers = QComboBox()
        self.answers.setAccessibleName("The initiative it answers")
        self.answers.addItem("No initiative named", None)
        for i in initiatives:
            if i.id != obs.id:
                self.answers.addItem(f"{i.code} at frame {i.frame}" + (f" — {i.text}" if i.text else ""), i.id)
        self.answers.setCurrentIndex(max(0, self.answers.findData(obs.responds_to)))

        frames = QHBoxLayout()
        frames.addWidget(self.first)
        frames.addWidget(self.here)
        form = QFormLayout()
        form.addRow("First frame", frames)
        form.addRow("", self.moment)
        form.addRow("Last frame", self.last)
        form.addRow("Code", self.code)
        form.addRow("Words", self.text)
        form.addRow("Coder", self.coder)
        form.addRow("Answers", self.answers)
        ok_cancel(self, form)
        self._enable()

    def _start_at(self, frame: int) -> None:
        length = self.last.value() - self.first.value()
        self.first.setValue(frame)
        self.last.setValue(min(self.last.maximum(), frame + max(0, length)))

    def _enable(self) -> None:
        self.last.setEnabled(not self.moment.isChecked())

    def values(self) -> dict[str, Any]:
        """Keyword arguments for `Observations.update` (the range end exclusive)."""
        first = self.first.value()
        end = None if self.moment.isChecked() else max(first, self.last.value()) + 1
        return {"frame": first, "end_frame": end, "code": self.code.currentData(), "text": self.text.text(),
                "coder": self.coder.text(), "responds_to": self.answers.currentData()}
