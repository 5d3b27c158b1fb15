"""The Observations panel of a WWW session: the quiet session clock, a code picker to mark the frame on
screen (or the in–out range) with an observation, and the session's observations listed beside the
picture; a click jumps to the observation's frame, F2 or "Edit…" changes its frames, code and words.
Every edit is one undoable app call (`ui.www.record_commands`)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.www import library_catalogue, observations
from vigstudio.app.www.clock import DEFAULT_HALF_MINUTES, MAX_HALF_MINUTES, SessionClock
from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import Observation
from vigstudio.ui.www.observation_dialog import ObservationDialog, code_box
from vigstudio.ui.www.record_commands import UndoableRecords, observation_calls
from vigstudio.ui.www.record_list import RecordList, button_row


def observation_line(obs: Observation, catalogue: ObservationCatalogue, answered: Observation | None = None) -> str:
    """`answered`: the initiative this response names, shown by its code and frame (its id is shown
    nowhere, so "↩ 3" meant nothing to the practitioner)."""
    frames = str(obs.frame) if obs.end_frame is None else f"{obs.frame}–{obs.end_frame - 1}"
    label = catalogue.code(obs.code).label if catalogue.has(obs.code) else obs.code
    answer = "" if not obs.responds_to else (f" ↩ {answered.code} {answered.frame}" if answered is not None
                                              else " ↩ an initiative")
    coder = f" · {obs.coder}" if obs.coder else ""
    text = f" — {obs.text}" if obs.text else ""
    return f"{frames}  {obs.code}{answer}  {label}{coder}{text}"


class ClockRow(QWidget):
    """Start / pause, on to the Wonder half, reset, and the two halves' minutes. Never makes a sound."""

    def __init__(self, clock: SessionClock | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.clock = clock or SessionClock()
        self.reading = QLabel()
        self.reading.setObjectName("sessionClock")
        self.reading.setAccessibleName("Session clock")
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.toggle)
        self.wonder_button = QPushButton("Wonder")
        self.wonder_button.setToolTip("Move on to the second half (Wonder) now")
        self.wonder_button.clicked.connect(self.to_second_half)
        self.reset_button = QPushButton("Reset")
        self.reset_button.clicked.connect(self.reset)
        self.first = self._minutes("Watch half, minutes")
        self.second = self._minutes("Wonder half, minutes")
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)

        # Three short rows, so the panel is no wider than the clip list on a 1366-pixel screen.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.start_button, self.wonder_button, self.reset_button):
            buttons.addWidget(b)
        halves = QHBoxLayout()
        halves.setContentsMargins(0, 0, 0, 0)
        halves.addWidget(QLabel("Watch"))
        halves.addWidget(self.first)
        halves.addWidget(QLabel("+ Wonder"))
        halves.addWidget(self.second)
        halves.addWidget(QLabel("min"))
        halves.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.reading)
        layout.addLayout(buttons)
        layout.addLayout(halves)
        self.refresh()

    def _minutes(self, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, MAX_HALF_MINUTES)
        box.setValue(DEFAULT_HALF_MINUTES)
        box.setAccessibleName(name)
        box.setToolTip(name)
        box.valueChanged.connect(self._halves_changed)
        return box

    def _halves_changed(self) -> None:
        self.clock.set_halves(self.first.value(), self.second.value())
        self.refresh()

    def toggle(self) -> None:
        if self.clock.running:
            self.clock.pause()
            self._timer.stop()
        else:
            self.clock.start()
            self._timer.start()
        self.refresh()

    def to_second_half(self) -> None:
        self.clock.to_second_half()
        self.refresh()

    def reset(self) -> None:
        self.clock.reset()
        self._timer.stop()
        self.refresh()

    def refresh(self) -> None:
        reading = self.clock.reading()
        self.reading.setText(f"Clock: {reading.text()}")
        self.start_button.setText("Pause" if reading.running else ("Resume" if self.clock.elapsed() else "Start"))

    def stop(self) -> None:
        self._timer.stop()


class ObservationsPanel(QWidget):
    addRequested = Signal(str, str)  # code, text
    deleteRequested = Signal(int)
    observationActivated = Signal(int)  # jump to it
    editRequested = Signal(int)  # frames, code, words, coder, answer (a dialog)

    def __init__(self, catalogue: ObservationCatalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.clock_row = ClockRow()
        self.code = code_box(catalogue)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What you see (optional)")
        self.text.setAccessibleName("Observation text")
        self.text.returnPressed.connect(self._add)
        self.add_button = QPushButton("Code moment")
        self.add_button.setToolTip("Marks the frame on screen, or the in–out range when one is set. A response "
                                   "answers the initiative selected in the list.")
        self.add_button.clicked.connect(self._add)
        self.records = RecordList("observationList", "Observations",
                                  "No observations yet: pick a code and press “Code moment”.")
        self.list, self.empty = self.records.list, self.records.empty
        self.records.activated.connect(self.observationActivated)
        self.records.deleteRequested.connect(self.deleteRequested)
        self.records.editRequested.connect(self.editRequested)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change the selected observation's frames, code, words or coder (F2)")
        self.edit_button.clicked.connect(self.records.request_edit)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.records.request_delete)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.clock_row)
        layout.addWidget(self.code)
        layout.addWidget(self.text)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        layout.addWidget(self.records, 1)

    def set_observations(self, observations: list[Observation]) -> None:
        ordered = sorted(observations, key=lambda o: (o.recording_id, o.frame, o.id or 0))
        by_id = {o.id: o for o in observations}
        self.records.set_rows((o.saved_id, observation_line(o, self.catalogue, by_id.get(o.responds_to)),
                               QColor(self.catalogue.code(o.code).colour) if self.catalogue.has(o.code) else None)
                              for o in ordered)

    def selected_id(self) -> int | None:
        return self.records.selected_id()

    def select(self, observation_id: int) -> None:
        self.records.select(observation_id)

    def current_code(self) -> str:
        return self.code.currentData()

    def _add(self) -> None:
        self.addRequested.emit(self.current_code(), self.text.text())

    def added(self) -> None:
        self.text.clear()

def _describe(obs: Observation) -> str:
    return f"observation {obs.code} at frame {obs.frame}"


class EditorObservations:
    """The editor's WWW observations: the panel, its undoable edits, jumping and coding (the window
    keeps `go_to_observation` and `add_observation` as its own names for them)."""

    def __init__(self, window) -> None:
        self.window = window
        self.undoable = UndoableRecords(observation_calls(window.service), window.undoable, _describe)
        self.panel = panel = ObservationsPanel(library_catalogue(window.service))
        panel.addRequested.connect(self.add)
        panel.deleteRequested.connect(lambda observation_id: window.run_edit(self.undoable.delete, observation_id))
        panel.editRequested.connect(self.edit)
        panel.observationActivated.connect(self.go_to)

    def edit(self, observation_id: int, dialog: ObservationDialog | None = None) -> Observation | None:
        """The observation's dialog; what it changes is one undoable edit."""
        w = self.window
        obs = w.data.observation(observation_id)
        if obs is None:
            return None
        if dialog is None:
            recording = next((r for r in w.data.recordings if r.id == obs.recording_id), None)
            catalogue = self.panel.catalogue
            initiatives = [o for o in w.data.observations if o.recording_id == obs.recording_id
                           and catalogue.has(o.code) and catalogue.code(o.code).is_initiative]
            on_screen = w.playback.current_frame if w.recording is not None and w.recording.id == obs.recording_id \
                else None
            dialog = ObservationDialog(w, obs, catalogue, recording.frame_count if recording else obs.frame + 1,
                                       initiatives, on_screen)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        edited = w.run_edit(self.undoable.update, observation_id, **dialog.values())
        if edited is not None:
            self.panel.select(observation_id)
            w.timeline.set_selected_observation(observation_id)
        return edited

    def go_to(self, observation_id: int) -> None:
        w = self.window
        obs = w.data.observation(observation_id)
        if obs is None:
            return
        if w.recording is None or obs.recording_id != w.recording.id:
            w.open_recording(obs.recording_id)
        w.playback.seek(obs.frame)
        w.timeline.set_selected_observation(observation_id)
        self.panel.select(observation_id)

    def add(self, code: str, text: str = "") -> Observation | None:
        """Code the in–out range when one is set, else the frame on screen. A response answers the
        initiative selected in the list, when one is."""
        w = self.window
        if w.recording is None:
            w.show_message("Open a recording first.")
            return None
        frame, end = w.playback.current_frame, None
        if w.marking.in_frame is not None and w.marking.out_frame is not None:
            frame, end = w.marking.in_frame, w.marking.out_frame + 1
        responds_to = None
        catalogue = self.panel.catalogue
        selected = w.data.observation(self.panel.selected_id() or -1)
        if (selected is not None and catalogue.has(code) and catalogue.code(code).is_response
                and catalogue.has(selected.code) and catalogue.code(selected.code).is_initiative):
            responds_to = selected.id
        obs = w.run_edit(self.undoable.add, observations.add_observation, w.service, w.recording.id, frame, code,
                         end_frame=end, text=text, responds_to=responds_to)
        if obs is not None:
            w.marking.clear_in_out()
            self.panel.added()
            self.panel.select(obs.id)
            w.timeline.set_selected_observation(obs.id)
        return obs
