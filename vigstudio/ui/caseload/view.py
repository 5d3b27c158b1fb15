"""The caseload: the practitioner's first screen in the library window.

Open cases with their pathway stage, intervention, next session, days waiting and what is outstanding
(consent missing, a questionnaire due, an open risk flag, a retention review due), counts at the top,
sortable by any column and filterable. It reads `app.pathway.caseload` (a few bulk queries) again
after any committed change, folded into one read per burst. Double-click (or Enter) shows the case
in the library tree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import pathway
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.ui.caseload.model import CASE_ROLE, OUTSTANDING_LABELS, CaseloadModel

# Changes the caseload's rows never show (it reads cases, referrals, pathway steps, consents, measures,
# risk flags, interventions, session dates and closing settings).
_NOT_SHOWN = frozenset({ChangeKind.CLIP, ChangeKind.STILL, ChangeKind.ANNOTATION, ChangeKind.MARKER,
                        ChangeKind.COMMENT, ChangeKind.REFLECTION, ChangeKind.RECORDING, ChangeKind.CONTACT,
                        ChangeKind.ACTIVITY})


class CaseloadView(QWidget):
    case_chosen = Signal(str)  # the case code to show in the library
    _change_arrived = Signal(object)  # emitted on the committing thread, delivered queued

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseloadView")
        self.service: LibraryService | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.counts = QLabel()
        self.counts.setObjectName("caseloadCounts")
        self.counts.setStyleSheet("font-size: 15px; padding: 4px 0;")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter cases…")
        self.search.setToolTip("Shows the cases with this text in any column: a code, a stage, an intervention…")
        self.search.setClearButtonEnabled(True)
        self.only = QComboBox()
        self.only.addItem("Everything", None)
        for key, label in OUTSTANDING_LABELS.items():
            self.only.addItem(f"Only: {label}", key)
        self.show_closed = QCheckBox("Closed cases too")
        self.referral_button = QPushButton("New referral…")
        self.status_button = QPushButton("Move along the pathway…")
        self.close_button = QPushButton("Close case…")
        self.record_button = QPushButton("Case record…")
        self.record_button.setToolTip("The case's referrals, pathway steps and closing summary: decide, correct, delete")
        self.activities_button = QPushButton("Service work…")
        self.activities_button.setToolTip("Consultations, training delivered, liaison; the activity report")
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.only, 1)
        top.addWidget(self.show_closed)
        top.addWidget(self.referral_button)
        top.addWidget(self.status_button)
        top.addWidget(self.close_button)
        top.addWidget(self.record_button)
        top.addWidget(self.activities_button)
        self.model = CaseloadModel(self)
        self.table = QTableView()
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # the longest wait first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Sized once from the first rows when the caseload first fills (measuring 300 rows on every
        # refresh would cost more than reading them); the person may then drag them wider.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(40)
        self._sized = False
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.error = QLabel()
        self.error.setProperty("error", True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.counts)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self.search.textChanged.connect(lambda text: self.model.set_filter(text=text))
        self.only.currentIndexChanged.connect(lambda _i: self.model.set_filter(outstanding=self.only.currentData()))
        self.show_closed.toggled.connect(lambda _on: self.reload())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)
        self._change_arrived.connect(self._on_change, Qt.ConnectionType.QueuedConnection)

    def attach(self, service: LibraryService) -> None:
        self.detach()
        self.service = service
        self._unsubscribe = service.subscribe(self._change_arrived.emit)
        self.reload()

    def _on_change(self, change: Change) -> None:
        """Read the caseload again (once for a burst) unless the change cannot alter a row: the editing
        of a session (clips, tags, stills, markers, comments, reflections, recordings, its notes) and
        library-wide contacts and activities leave every row as it was."""
        if change.kind in _NOT_SHOWN or (change.kind == ChangeKind.SESSION and change.action == ChangeAction.UPDATED):
            return  # a session update is its notes: its date is set when it is added
        self._timer.start()

    def detach(self) -> None:
        """Forget the library and show nothing (locking)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.service = None
        self.model.set_rows([])
        self.counts.clear()

    def reload(self) -> None:
        if self.service is None or not self.service.is_open:
            return
        try:
            rows = pathway.caseload(self.service, include_closed=self.show_closed.isChecked())
        except VigError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        self.error.hide()
        chosen = self.selected_code()
        self.model.set_rows(rows)
        self.select_code(chosen)  # the reset dropped the selection: the next dialog must get the same family
        if rows and not self._sized:
            self.table.resizeColumnsToContents()
            # Room for the longest stage, whatever the first rows held (all "referred", a later
            # "in intervention" showed as "in …").
            room = self.table.fontMetrics().horizontalAdvance("no referral recorded") + 16
            self.table.setColumnWidth(1, max(self.table.columnWidth(1), room))
            self._sized = True
        open_rows = [r for r in rows if r.status == "open"]
        waiting = [r for r in open_rows if r.stage in ("referred", "assessment", "waiting")]
        flags = sum(1 for r in rows if "risk_flag_open" in r.outstanding)
        text = (f"{len(open_rows)} open cases · {len(waiting)} waiting · "
                f"{sum(1 for r in open_rows if r.stage == 'in_intervention')} in intervention")
        if flags:
            text += f" · <b style='color:#9b2d1c'>{flags} risk flag{'s' if flags != 1 else ''} open</b>"
        self.counts.setText(text)

    def selected_code(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(CASE_ROLE) if index.isValid() else None

    def select_code(self, code: str | None) -> None:
        for row in range(self.model.rowCount()) if code else ():
            if self.model.index(row, 0).data(CASE_ROLE) == code:
                self.table.selectRow(row)
                return

    def _activated(self, index: QModelIndex) -> None:
        code = index.data(CASE_ROLE)
        if code:
            self.case_chosen.emit(code)
