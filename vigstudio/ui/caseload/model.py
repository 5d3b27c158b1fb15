"""The caseload as a Qt table model over `app.pathway.caseload` rows, filtered and sorted in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from vigstudio.app.pathway import CaseloadRow

OUTSTANDING_LABELS = {
    "consent_missing": "consent missing",
    "measure_due": "questionnaire due",
    "risk_flag_open": "RISK FLAG OPEN",
    "retention_review_due": "retention review due",
}
COLUMNS = ("Case", "Pathway", "Intervention", "Next session", "Days waiting", "Outstanding")
CASE_ROLE = Qt.ItemDataRole.UserRole


def stage_label(row: CaseloadRow) -> str:
    if row.stage is None:
        return "no referral recorded"
    return row.stage.replace("_", " ")


class CaseloadModel(QAbstractTableModel):
    """All rows, and the visible ones: filtered (text in any column, one outstanding item) and sorted
    here in Python in one pass, which is much cheaper than a proxy asking `data()` per comparison."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[CaseloadRow] = []
        self.visible: list[CaseloadRow] = []
        self.text = ""
        self.outstanding: str | None = None
        self.sort_column, self.sort_order = 4, Qt.SortOrder.DescendingOrder

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.rows = rows
        self._refresh()

    def set_filter(self, text: str | None = None, outstanding: str | None | bool = False) -> None:
        if text is not None:
            self.text = text.strip().lower()
        if outstanding is not False:
            self.outstanding = outstanding  # type: ignore[assignment]
        self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._refresh()

    def _refresh(self) -> None:
        def shown(row: CaseloadRow) -> bool:
            if self.outstanding and self.outstanding not in row.outstanding:
                return False
            return not self.text or any(self.text in self._text(row, c).lower() for c in range(len(COLUMNS)))

        visible = sorted((r for r in self.rows if shown(r)), key=lambda r: self._sort_key(r, self.sort_column),
                         reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()  # a whole fresh read: the table is small
        self.visible = visible
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.visible[index.row()], index.column()
        if role == CASE_ROLE:
            return row.code
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and "risk_flag_open" in row.outstanding:
            return QColor("#9b2d1c")
        return None

    @staticmethod
    def _text(row: CaseloadRow, col: int) -> str:
        if col == 0:
            return row.code
        if col == 1:
            return stage_label(row)
        if col == 2:
            return " + ".join(k.upper() for k in row.interventions) or "—"
        if col == 3:
            return row.next_session.strftime("%d %b %Y") if row.next_session else "—"
        if col == 4:
            return "—" if row.days_waiting is None else str(row.days_waiting)
        return ", ".join(OUTSTANDING_LABELS.get(o, o) for o in row.outstanding)

    @staticmethod
    def _sort_key(row: CaseloadRow, col: int) -> Any:
        if col == 3:
            return (row.next_session or dt.date.max).toordinal()
        if col == 4:
            return -1 if row.days_waiting is None else row.days_waiting
        if col == 5:
            return len(row.outstanding) + (10 if "risk_flag_open" in row.outstanding else 0)
        return CaseloadModel._text(row, col).lower()
