"""Coding agreement on one session's clips: per principle n, % agreement and Cohen's kappa with its
95% CI, Krippendorff's alpha overall; exportable as CSV. The practitioner's tags against the supervisor's
principle comments, or against a named second coder's tags (chosen above the table)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import coders
from vigstudio.app.agreement import Agreement, agreement_csv, session_agreement
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.domain.guider import PRACTITIONER_CODER, SUPERVISOR_CODER
from vigstudio.domain.principles import load_catalogue
from vigstudio.ui.supervision.common import SupervisionDialog

COLUMNS = ["Principle", "Clips", "% agreement", "Cohen's kappa", "95% CI"]


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


class AgreementDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, session_id: int):
        super().__init__(parent, service, f"Coding agreement — session {session_id}", "agreementDialog")
        self.resize(780, 420)
        self.session_id = session_id
        self.service = service
        self.result: Agreement = session_agreement(service, session_id)
        self.names = {p.code: p.name for p in load_catalogue().principles}
        self.second = QComboBox()
        self.second.setObjectName("agreementSecondCoder")
        self.second.setAccessibleName("Second coder")
        self.second.addItem("the supervisor (principle comments)", SUPERVISOR_CODER)
        for name in coders.second_coders(service):
            self.second.addItem(name, name)
        self.second.currentIndexChanged.connect(lambda _i: self.recompute())
        row = QHBoxLayout()
        row.addWidget(QLabel("The practitioner's tags against"))
        row.addWidget(self.second, 1)
        self.layout_.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.table = QTableWidget(len(self.result.principles), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.error)
        self._fill()
        self.add_button_row(self.button("Save as CSV…", self.save_csv))
        self.add_close_button()

    def recompute(self) -> None:
        """Against the second coder now chosen."""
        try:
            self.result = session_agreement(self.service, self.session_id,
                                            (PRACTITIONER_CODER, self.second.currentData()))
        except VigError as err:
            self.show_error(str(err))
            return
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.result.principles))
        for row, (code, k) in enumerate(self.result.principles.items()):
            ci = "n/a" if k.ci_low is None else f"{_f(k.ci_low)} to {_f(k.ci_high)}"
            values = [f"{code} {self.names.get(code, '')}", str(k.n), f"{100 * k.agreement:.0f}%" if k.n else "n/a",
                      _f(k.kappa), ci]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        second = self.result.coders[1]
        who = "the supervisor" if second == SUPERVISOR_CODER else second
        alpha = "n/a (no variation to compare)" if self.result.alpha is None else f"{self.result.alpha:.2f}"
        self.summary.setText(
            f"{self.result.clips} clips tagged by both the practitioner and {who}. "
            f"Krippendorff's alpha across all principles: {alpha}.")

    def save_csv(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save agreement", f"agreement-{self.session_id}.csv",
                                                  "CSV (*.csv)")
        if path:
            try:
                Path(path).write_text(agreement_csv(self.result), encoding="utf-8")
            except OSError as exc:
                self.show_error(f"could not write {path}: {exc.strerror}")
