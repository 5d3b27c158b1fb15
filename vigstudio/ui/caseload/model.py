"""The caseload as a Qt table model over `app.pathway.caseload` rows (sortable through a proxy)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from vigstudio.app.pathway import CaseloadRow

OUTSTANDING_LABELS = {
    "consent_missing": "consent missing",
    "measure_due": "questionnaire due",
    "risk_flag_open": "RISK FLAG OPEN",
    "retention_review_due": "retention review due",
}
COLUMNS = ("Case", "Pathway", "Intervention", "Next session", "Days waiting", "Outstanding")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ROLE = Qt.ItemDataRole.UserRole


def stage_label(row: CaseloadRow) -> str:
    if row.stage is None:
        return "no referral recorded"
    return row.stage.replace("_", " ")


class CaseloadModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[CaseloadRow] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()  # a whole fresh read: the table is small and sorted by the proxy
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == CASE_ROLE:
            return row.code
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and "risk_flag_open" in row.outstanding:
            from PySide6.QtGui import QColor

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


class CaseloadFilter(QSortFilterProxyModel):
    """Sort by the column's natural order; filter by text (any column) and by one outstanding item."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.outstanding: str | None = None

    def set_outstanding(self, item: str | None) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+: invalidateFilter is deprecated
            self.beginFilterChange()
            self.outstanding = item
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.outstanding = item
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if self.outstanding and isinstance(model, CaseloadModel):
            if self.outstanding not in model.rows[source_row].outstanding:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
