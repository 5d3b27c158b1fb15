"""A case's Outcomes: each measure's chart over time (bands shaded, caseness dashed, reliable change
and recovery written on it), a table of every completion, and any open risk flag in red at the top
until its action is recorded. Charts come from `app.charts`, drawn off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import outcomes
from vigstudio.app.charts import Point, goals, measure_over_time
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin
from vigstudio.ui.outcomes.risk import RiskFlagDialog, flag_text
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes

COLUMNS = ["Date", "When", "Questionnaire", "Total", "Band", "Risk"]


def _verdicts(scored) -> dict[int, str]:
    """The post (or follow-up) completion's id → what changed since the first pre."""
    found = {}
    for _point, a, b in outcomes.pairs(scored):
        ch = outcomes.change(a.measure, a.score.total, b.score.total)
        words = [w for w, on in (("reliable improvement", ch.reliable_improvement),
                                 ("reliable deterioration", ch.reliable_deterioration),
                                 ("recovered", ch.recovered)) if on]
        if words:
            found[b.completion.id] = ", ".join(words)
    return found


def chart_pngs(service: LibraryService, case_code: str) -> list[tuple[str, bytes]]:
    """(measure id, PNG) for every measure the case has, drawn by the same code as the report."""
    scored = outcomes.completions(service, case_code)
    verdicts = _verdicts(scored)
    order = {m.id: n for n, m in enumerate(outcomes.catalogue(service).measures)}
    out = []
    for measure_id in sorted({s.measure.id for s in scored}, key=lambda m: order.get(m, len(order))):
        mine = [s for s in scored if s.measure.id == measure_id]
        points = [Point(s.completion.when, s.score.total, verdicts.get(s.completion.id, "")) for s in mine]
        out.append((measure_id, measure_over_time(mine[0].measure, points, width=7.2, height=2.5)))
    rated = [(g.text, g.start_score, g.end_score) for g in outcomes.goals_of_case(service, case_code)]
    if rated:
        out.append(("goals", goals(rated, height=0.9 + 0.45 * len(rated))))
    return out


class OutcomesDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "Outcomes", "outcomesDialog")
        self.resize(820, 700)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        if case_code:
            self.case_combo.setCurrentText(case_code)
        self.case_combo.currentTextChanged.connect(lambda _t: self.reload())
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        self.layout_.addLayout(form)
        self.flag_banner = QLabel()
        self.flag_banner.setObjectName("riskBanner")
        self.flag_banner.setWordWrap(True)
        self.flag_banner.setStyleSheet("background: #f6dcd6; color: #6b1d10; padding: 8px; border-radius: 4px;")
        self.act_button = self.button("Record the action taken…", self.act)
        self.layout_.addWidget(self.flag_banner)
        self.layout_.addWidget(self.act_button)
        self.charts = QWidget()
        self.charts_layout = QVBoxLayout(self.charts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        self.charts_scroll = scroll
        self.layout_.addWidget(scroll, 2)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.error)
        self.new_button = self.button("New questionnaire…", self.new_questionnaire)
        self.delete_button = self.button("Delete selected", self.delete_selected)
        self.add_button_row(self.new_button, self.delete_button)
        self.add_close_button()
        self.open_flags = []
        self.child_dialog = None
        self.reload()

    @property
    def case_code(self) -> str:
        return self.case_combo.currentText()

    def reload(self) -> None:
        code = self.case_code
        scored = self.attempt(outcomes.completions, self.service, code) if code else []
        flags = self.attempt(outcomes.flags, self.service, code) if code else []
        scored, flags = scored or [], flags or []
        self.open_flags = [f for f in flags if f.open]
        self.flag_banner.setText("Open risk flag — record the action taken:\n" +
                                 "\n".join(flag_text(f) for f in self.open_flags))
        self.flag_banner.setVisible(bool(self.open_flags))
        self.act_button.setVisible(bool(self.open_flags))
        self.table.setRowCount(len(scored))
        flagged = {f.completion_id: ("OPEN" if f.open else "acted on") for f in flags}
        for row, s in enumerate(sorted(scored, key=lambda s: (s.completion.date, s.completion.id or 0))):
            c = s.completion
            values = [f"{c.date:%d %b %Y}", c.when, c.measure,
                      "not scorable" if s.score.total is None else f"{s.score.total:g}",
                      s.score.band or "", flagged.get(c.id, "")]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._draw_charts(code)

    def _draw_charts(self, code: str) -> None:
        while self.charts_layout.count():
            widget = self.charts_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        if not code:
            return
        placeholder = QLabel("Drawing the charts…")
        self.charts_layout.addWidget(placeholder)
        self.in_background(lambda _progress: chart_pngs(self.service, code), self._show_charts, "Drawing charts")

    def _show_charts(self, charts: list[tuple[str, bytes]]) -> None:
        while self.charts_layout.count():
            widget = self.charts_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        if not charts:
            self.charts_layout.addWidget(self.note("No questionnaires yet for this case."))
        for measure_id, png in charts:
            label = QLabel()
            label.setObjectName(f"chart-{measure_id}")
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            # No wider than the view: drawn wider, the band names on the right were cut off behind a
            # sideways scroll bar on a 1366-pixel screen.
            room = self.charts_scroll.viewport().width() - 2 * self.charts_layout.contentsMargins().left()
            if 0 < room < pixmap.width():
                pixmap = pixmap.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            self.charts_layout.addWidget(label)
        self.charts_layout.addStretch(1)

    def act(self) -> None:
        self.child_dialog = RiskFlagDialog(self, self.service, self.open_flags)
        self.child_dialog.finished.connect(lambda _r: self.reload())
        self.child_dialog.open()

    def new_questionnaire(self) -> None:
        from vigstudio.ui.outcomes.questionnaire import QuestionnaireDialog

        self.child_dialog = QuestionnaireDialog(self, self.service, self.case_code)
        self.child_dialog.finished.connect(lambda _r: self.reload())
        self.child_dialog.open()

    def delete_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        for row in rows:
            completion_id = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            if self.attempt(outcomes.delete_completion, self.service, completion_id) is None and \
                    self.error.isVisible():
                return
        self.reload()
