"""A questionnaire filled in on the laptop, by the parent or the practitioner.

All items on one scrolling page, each with large touch-friendly option buttons in the printed order.
Keys: 1–9 choose the option at that printed position for the current item and move to the next;
↑/↓ move between items; Delete marks the current item missing. Where a measure's licence forbids its
wording (EPDS, CORE-10, ...) only item numbers and option positions are shown, and the form is for
entering a paper form. After saving, the total and band are shown; a risk item opens the risk-flag
dialog at once, and the flag stays open in the case until its action is recorded.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import outcomes
from vigstudio.app.library import LibraryService
from vigstudio.domain.measures import NOT_APPLICABLE, Answer, Measure
from vigstudio.domain.model import CaseOrigin
from vigstudio.domain.outcomes import TIME_POINTS
from vigstudio.ui.outcomes.risk import RiskFlagDialog
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes, choose_case


class ItemRow(QFrame):
    """One item: its number (and short label where allowed) and one big button per option."""

    answered = Signal(int)  # the item number

    def __init__(self, measure: Measure, number: int):
        super().__init__()
        self.number = number
        self.setObjectName(f"item{number}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel(measure.item_label(number))
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        labels = [o.label for o in measure.options]
        if measure.not_applicable:
            labels.append("Not applicable")
        for position, text in enumerate(labels):
            button = QPushButton(f"{position + 1}  {text}")
            button.setCheckable(True)
            button.setMinimumHeight(44)  # a finger, not a mouse pointer
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.group.addButton(button, position)
            row.addWidget(button)
        self.group.idClicked.connect(lambda _id: self.answered.emit(self.number))
        layout.addLayout(row)
        self.not_applicable_position = len(measure.options) if measure.not_applicable else None

    def choose(self, position: int | None) -> None:
        if position is None:
            checked = self.group.checkedButton()
            if checked is not None:
                self.group.setExclusive(False)
                checked.setChecked(False)
                self.group.setExclusive(True)
            return
        button = self.group.button(position)
        if button is not None:
            button.setChecked(True)

    def answer(self) -> Answer:
        position = self.group.checkedId()
        if position < 0:
            return None
        if position == self.not_applicable_position:
            return NOT_APPLICABLE
        return position

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        style = f"#{self.objectName()} {{ border-left: 4px solid #2f6f8f; background: #f2f6f8; }}"
        self.setStyleSheet(style if current else "")


class QuestionnaireDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "Questionnaire", "questionnaireDialog")
        self.resize(760, 640)
        self.catalogue = outcomes.catalogue(service)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        choose_case(self.case_combo, case_code)
        # Opened on a family's case, the form stays on it: a parent filling it in on the laptop is
        # shown no list of the other families' case codes.
        self.case_combo.setEnabled(not case_code)
        self.measure_combo = QComboBox()
        for m in self.catalogue.measures:
            self.measure_combo.addItem(f"{m.id} — {m.name}", m.id)
        self.when_combo = QComboBox()
        self.when_combo.addItems([*TIME_POINTS, "session"])
        self.session_number = QSpinBox()
        self.session_number.setRange(1, 99)
        self.session_number.setPrefix("session ")
        self.session_number.setVisible(False)
        self.when_combo.currentTextChanged.connect(lambda t: self.session_number.setVisible(t == "session"))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd MMM yyyy")  # "7 12 2026" read as July as often as December
        self.by_combo = QComboBox()
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        form.addRow("Questionnaire", self.measure_combo)
        when_row = QHBoxLayout()
        when_row.addWidget(self.when_combo)
        when_row.addWidget(self.session_number)
        when_row.addStretch(1)
        form.addRow("When", when_row)
        form.addRow("Date", self.date_edit)
        form.addRow("Completed by", self.by_combo)
        self.layout_.addLayout(form)
        self.licence = self.note("")
        self.layout_.addWidget(self.licence)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.layout_.addWidget(self.scroll, 1)
        self.result = QLabel()
        self.result.setObjectName("questionnaireResult")
        self.result.setWordWrap(True)
        self.layout_.addWidget(self.result)
        self.layout_.addWidget(self.error)
        self.save_button = self.button("Save and score", self.save)
        self.save_button.setDefault(True)
        self.add_button_row(self.save_button)
        self.add_close_button()
        self.rows: list[ItemRow] = []
        self.typed: dict[str, QSpinBox] = {}
        self.current = 0
        self.risk_dialog: RiskFlagDialog | None = None
        self.measure_combo.currentIndexChanged.connect(lambda _i: self.build_form())
        # The option keys work wherever the focus is (it starts on the case box, which swallowed them
        # and left every item unanswered); a box being typed into keeps its digits (ShortcutOverride).
        for position in range(9):
            key = QShortcut(QKeySequence(str(position + 1)), self)
            key.activated.connect(lambda position=position: self.choose_current(position))
        self.build_form()

    @property
    def measure(self) -> Measure:
        return self.catalogue.measure(self.measure_combo.currentData())

    def build_form(self) -> None:
        measure = self.measure
        self.by_combo.clear()
        self.by_combo.addItems(list(measure.entered_by))
        self.licence.setText(measure.licence)
        page = QWidget()
        layout = QVBoxLayout(page)
        self.rows, self.typed = [], {}
        if measure.is_typed:
            form = QFormLayout()
            for spec in measure.typed_scores:
                spin = QSpinBox()
                spin.setRange(spec.low, spec.high)
                spin.setMinimumHeight(36)
                self.typed[spec.key] = spin
                form.addRow(f"{spec.label} ({spec.key})", spin)
            layout.addLayout(form)
        for item in measure.items:
            row = ItemRow(measure, item.number)
            row.answered.connect(self._answered)
            self.rows.append(row)
            layout.addWidget(row)
        layout.addStretch(1)
        self.scroll.setWidget(page)
        self.result.clear()
        self.save_button.setEnabled(True)
        self.set_current(0)

    def set_current(self, index: int) -> None:
        if not self.rows:
            return
        self.current = max(0, min(index, len(self.rows) - 1))
        for n, row in enumerate(self.rows):
            row.set_current(n == self.current)
        self.scroll.ensureWidgetVisible(self.rows[self.current])

    def _answered(self, number: int) -> None:
        self.set_current(number)  # the next item (numbers start at 1, indices at 0)
        self.save_button.setEnabled(True)  # changed answers may be saved (again)

    def choose_current(self, position: int) -> None:
        """The option at printed `position` for the current item, then on to the next item."""
        if self.rows and self.rows[self.current].group.button(position) is not None:
            self.rows[self.current].choose(position)
            self._answered(self.rows[self.current].number)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, rows = event.key(), self.rows
        if rows and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:  # reaching the dialog itself (no shortcut took it)
            self.choose_current(key - Qt.Key.Key_1)
            return
        if rows and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.set_current(self.current + (1 if key == Qt.Key.Key_Down else -1))
            return
        if rows and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.rows[self.current].choose(None)
            self.save_button.setEnabled(True)
            return
        super().keyPressEvent(event)

    def answers(self) -> list[Answer]:
        return [row.answer() for row in self.rows]

    def when(self) -> str:
        point = self.when_combo.currentText()
        return f"session-{self.session_number.value()}" if point == "session" else point

    def save(self) -> None:
        measure = self.measure
        if not self.case_combo.currentText():
            self.show_error("Choose the family's case first")
            return
        if self.rows and all(answer is None for answer in self.answers()):
            self.show_error("No item is answered yet: click an option, or press its number (1, 2, 3…)")
            return
        date = self.date_edit.date()
        kwargs = {"typed_scores": {k: s.value() for k, s in self.typed.items()}} if measure.is_typed \
            else {"answers": self.answers()}
        recorded = self.attempt(outcomes.add_completion, self.service, self.case_combo.currentText(), measure.id,
                                self.when(), date=dt.date(date.year(), date.month(), date.day()),
                                completed_by=self.by_combo.currentText(), **kwargs)
        if recorded is None:
            return
        s = recorded.score
        total = "not scorable (too many items missing)" if s.total is None else f"{s.total:g}"
        band = f" — {s.band}" if s.band else ""
        self.result.setText(f"Saved. {measure.id} total: {total}{band}.")
        self.save_button.setEnabled(False)  # a second Enter must not save the same answers twice
        self.done_message = f"{measure.id} saved for {self.case_combo.currentText()}"
        if recorded.flags:
            self.risk_dialog = RiskFlagDialog(self, self.service, recorded.flags)
            # Said here too: the form stays open, so the window's status bar is out of sight.
            self.result.setText(self.result.text() + " A risk item was answered: record the action taken.")
            self.risk_dialog.accepted.connect(lambda: self.result.setText(
                self.result.text().replace("record the action taken.", "the action taken is recorded.")))
            self.risk_dialog.rejected.connect(lambda: self.result.setText(
                self.result.text().replace("record the action taken.",
                                           "the flag stays open in the case until its action is recorded.")))
            self.risk_dialog.open()
