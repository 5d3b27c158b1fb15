"""The Observations panel of a WWW session: the quiet session clock, a code picker to mark the frame on
screen (or the in–out range) with an observation, and the session's observations listed beside the
picture; a click jumps to the observation's frame. Edits go through `UndoableObservations` (undoable)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.www import Observations
from vigstudio.app.www.clock import DEFAULT_HALF_MINUTES, MAX_HALF_MINUTES, SessionClock
from vigstudio.domain.observations import ObservationCatalogue
from vigstudio.domain.www import Observation
from vigstudio.ui.editor.observation_commands import UndoableObservations

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def observation_line(obs: Observation, catalogue: ObservationCatalogue) -> str:
    frames = str(obs.frame) if obs.end_frame is None else f"{obs.frame}–{obs.end_frame - 1}"
    label = catalogue.code(obs.code).label if catalogue.has(obs.code) else obs.code
    answer = f" ↩ {obs.responds_to}" if obs.responds_to else ""
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
    textEdited = Signal(int, str)

    def __init__(self, catalogue: ObservationCatalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.clock_row = ClockRow()
        self.code = QComboBox()
        self.code.setAccessibleName("Observation code")
        self.code.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.code.setMinimumContentsLength(12)
        for c in catalogue.codes:
            self.code.addItem(f"{c.code} · {c.label}", c.code)
            self.code.setItemData(self.code.count() - 1, QColor(c.colour), Qt.ItemDataRole.DecorationRole)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What you see (optional)")
        self.text.setAccessibleName("Observation text")
        self.text.returnPressed.connect(self._add)
        self.add_button = QPushButton("Code moment")
        self.add_button.setToolTip("Marks the frame on screen, or the in–out range when one is set. A response "
                                   "answers the initiative selected in the list.")
        self.add_button.clicked.connect(self._add)
        self.list = QListWidget()
        self.list.setObjectName("observationList")
        self.list.setAccessibleName("Observations")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._delete)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list, self._delete,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.edit_button = QPushButton("Set text")
        self.edit_button.setToolTip("Put the words typed above on the selected observation")
        self.edit_button.clicked.connect(self._edit_text)
        self.empty = QLabel("No observations yet: pick a code and press “Code moment”.")
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.clock_row)
        layout.addWidget(self.code)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def set_observations(self, observations: list[Observation]) -> None:
        selected = self.selected_id()
        self.list.clear()
        for obs in sorted(observations, key=lambda o: (o.recording_id, o.frame, o.id or 0)):
            item = QListWidgetItem(observation_line(obs, self.catalogue))
            item.setData(ID_ROLE, obs.id)
            if self.catalogue.has(obs.code):
                item.setData(Qt.ItemDataRole.DecorationRole, QColor(self.catalogue.code(obs.code).colour))
            self.list.addItem(item)
        self.empty.setVisible(not observations)
        if selected is not None:
            self.select(selected)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    def select(self, observation_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == observation_id:
                self.list.setCurrentRow(row)
                return

    def current_code(self) -> str:
        return self.code.currentData()

    def _add(self) -> None:
        self.addRequested.emit(self.current_code(), self.text.text())

    def added(self) -> None:
        self.text.clear()

    def _clicked(self, item: QListWidgetItem) -> None:
        self.observationActivated.emit(item.data(ID_ROLE))

    def _delete(self) -> None:
        observation_id = self.selected_id()
        if observation_id is not None:
            self.deleteRequested.emit(observation_id)

    def _edit_text(self) -> None:
        observation_id = self.selected_id()
        if observation_id is not None:
            self.textEdited.emit(observation_id, self.text.text())


class EditorObservations:
    """The editor's WWW observations: the panel, its undoable edits, jumping and coding (the window
    keeps `go_to_observation` and `add_observation` as its own names for them)."""

    def __init__(self, window) -> None:
        self.window = window
        self.observations = Observations(window.service)
        self.undoable = UndoableObservations(self.observations, window.undoable)
        self.panel = panel = ObservationsPanel(self.observations.catalogue())
        panel.addRequested.connect(self.add)
        panel.deleteRequested.connect(lambda observation_id: window.run_edit(self.undoable.delete, observation_id))
        panel.textEdited.connect(
            lambda observation_id, text: window.run_edit(self.undoable.update, observation_id, text=text))
        panel.observationActivated.connect(self.go_to)

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
        obs = w.run_edit(self.undoable.add, w.recording.id, frame, code, end_frame=end, text=text,
                      responds_to=responds_to)
        if obs is not None:
            w.marking.clear_in_out()
            self.panel.added()
            self.panel.select(obs.id)
            w.timeline.set_selected_observation(obs.id)
        return obs
