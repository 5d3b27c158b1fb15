"""Anonymous outcomes bundles in the GUI: export this library's scores to the lead, import a
practitioner's bundle (an unknown sender is shown by fingerprint with Accept / Refuse), and the list of
practitioners whose outcomes the service report includes. Export and import run off the GUI thread."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import keys
from vigstudio.app.library import LibraryService
from vigstudio.app.outcome_bundles import (
    OutcomesExported,
    OutcomesImported,
    SourceInfo,
    export_outcomes_bundle,
    forget_source,
    import_outcomes_bundle,
    sources,
)
from vigstudio.app.senders import AcceptSender
from vigstudio.domain.wording import counted
from vigstudio.ui.supervision.common import SupervisionDialog
from vigstudio.ui.supervision.sender_check import ChecksUnknownSenders

WHAT_LEAVES = ("The bundle holds only scores, time points, months, the kind of intervention and goal ratings, "
               "with a random token per family that stays the same in every export: no case code, name, date of "
               "birth, day or words. It is encrypted to the lead alone and signed by this library, but the file "
               "leaves the encrypted library: give it to them and delete it.")


def _file_row(edit: QLineEdit, browse) -> QHBoxLayout:
    row = QHBoxLayout()
    button = QPushButton("Choose…")
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


class ExportOutcomesDialog(SupervisionDialog):
    """Choose the lead (a contact) and where to save; the bundle is made in the background."""

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Export anonymous outcomes", "exportOutcomesDialog")
        self.layout_.addWidget(self.note(WHAT_LEAVES))
        form = QFormLayout()
        self.contact_combo = QComboBox()
        for c in keys.list_contacts(service):
            self.contact_combo.addItem(f"{c.display_name} ({c.role.value})", c.id)
        if self.contact_combo.count() == 0:
            self.contact_combo.addItem("No contact yet: add the lead's card under Sharing → Contacts…")
            self.contact_combo.setEnabled(False)
        form.addRow("Send to", self.contact_combo)
        self.out_edit = QLineEdit(str(Path.home() / f"outcomes-{dt.date.today():%Y-%m-%d}.age"))
        form.addRow("Save as", _file_row(self.out_edit, self.browse))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setEnabled(self.contact_combo.isEnabled())
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_made: OutcomesExported | None = None

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save outcomes bundle", self.out_edit.text(),
                                              "VIG Studio bundle (*.age)")
        if path:
            self.out_edit.setText(path)

    def start(self) -> None:
        contact_id, out = self.contact_combo.currentData(), self.out_edit.text().strip()
        if contact_id is None or not out:
            self.show_error("choose the lead and where to save the bundle")
            return
        self.export_button.setEnabled(False)

        def work(progress):
            return export_outcomes_bundle(self.service, contact_id, Path(out), progress=progress)

        def done(made: OutcomesExported) -> None:
            self.result_made = made
            self.done_message = (f"Anonymous outcomes for {made.to} written to {made.path}: "
                                 f"{counted(made.cases, 'family', 'families')}, "
                                 f"{counted(made.completions, 'questionnaire')} (outside the encrypted library).")
            self.accept()

        self.in_background(work, done, "Making the outcomes bundle…").finished.connect(
            lambda: self.export_button.setEnabled(True))


class ImportOutcomesDialog(ChecksUnknownSenders, SupervisionDialog):
    """A practitioner's outcomes bundle into this library (replacing their earlier one), all or nothing."""

    sender_role = "practitioner"

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Import outcomes bundle", "importOutcomesDialog")
        self.layout_.addWidget(self.note(
            "A practitioner's anonymous outcomes join the service's outcome report. A newer bundle from the same "
            "practitioner replaces their earlier one; an older one is refused."))
        form = QFormLayout()
        self.file_edit = QLineEdit()
        form.addRow("Bundle", _file_row(self.file_edit, self.browse))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.sender_panel_for("Accept sender and import"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.go_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_imported: OutcomesImported | None = None

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose an outcomes bundle", "", "VIG Studio bundle (*.age);;"
                                                                                    "All files (*)")
        if path:
            self.file_edit.setText(path)

    def start(self, accept: AcceptSender | None = None) -> None:
        accept = accept if isinstance(accept, AcceptSender) else None
        path = Path(self.file_edit.text().strip())
        self.sender_panel.hide()
        if not path.is_file():
            self.show_error(f"file not found: {path}")
            return
        self.import_button.setEnabled(False)

        def work(progress):
            return import_outcomes_bundle(self.service, path, accept_sender=accept, progress=progress)

        def done(result: OutcomesImported) -> None:
            self.result_imported = result
            self.done_message = (f"Outcomes of {result.sender} imported: {counted(result.cases, 'family', 'families')}"
                                 f", {counted(result.completions, 'questionnaire')}"
                                 + (" (their earlier bundle replaced)." if result.replaced else "."))
            self.accept()

        self.in_background(work, done, "Importing the outcomes…").finished.connect(
            lambda: self.import_button.setEnabled(not self.sender_panel.isVisibleTo(self)))


class OutcomeSourcesDialog(SupervisionDialog):
    """The practitioners whose outcomes this library holds; import another, forget one."""

    COLUMNS = ("Practitioner", "Bundle made", "Imported", "Families", "Questionnaires", "Fingerprint")

    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Practitioners' outcomes", "outcomeSourcesDialog")
        self.setMinimumWidth(940)  # the whole fingerprint in view: people read it to each other
        self.layout_.addWidget(self.note(
            "The service's outcome report covers this library's own families and the latest anonymous outcomes "
            "bundle of each practitioner below."))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("outcomeSources")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table)
        self.empty_note = self.note("No practitioner's outcomes imported yet: ask each practitioner for their bundle "
                                    "(Outcomes → Export anonymous outcomes…) and import it here.")
        self.layout_.addWidget(self.empty_note)
        self.layout_.addWidget(self.error)
        self.import_button = self.button("Import bundle…", self.open_import)
        self.forget_button = self.button("Forget…", self.confirm_forget)
        self.add_button_row(self.import_button, self.forget_button)
        self.add_close_button()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.confirm_forget,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.held: list[SourceInfo] = []
        self.child_dialog: ImportOutcomesDialog | None = None
        self.reload()

    def reload(self) -> None:
        self.held = self.attempt(sources, self.service) or []
        self.table.setRowCount(len(self.held))
        for row, s in enumerate(self.held):
            values = (s.name, _when(s.exported_at), _when(s.imported_at), str(s.cases), str(s.completions),
                      s.fingerprint)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.empty_note.setVisible(not self.held)
        self.table.setVisible(bool(self.held))
        if self.held:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.forget_button.setEnabled(self.selected() is not None)

    def selected(self) -> SourceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.held[rows[0].row()] if rows and rows[0].row() < len(self.held) else None

    def open_import(self) -> ImportOutcomesDialog:
        dialog = ImportOutcomesDialog(self, self.service)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._imported)
        self.child_dialog = dialog
        dialog.open()
        return dialog

    def _imported(self) -> None:
        if self.child_dialog is not None:
            self.done_message = self.child_dialog.done_message  # the window's status bar says it on close
        self.reload()

    def confirm_forget(self) -> QMessageBox | None:
        source = self.selected()
        if source is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Forget a practitioner's outcomes",
                          f"Remove the outcomes imported from {source.name} ({counted(source.cases, 'family', 'families')})"
                          " from this library? The service report will no longer include them; importing their "
                          "bundle again brings them back.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("forgetSourceBox")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        # The answer comes with `finished` (the standard button's value); a slot holding the box itself
        # would outlive it once Qt deletes it on close.
        box.finished.connect(partial(self._forget_answered, source.id))
        box.open()
        return box

    def _forget_answered(self, source_id: int, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes.value:
            self.forget(source_id)

    def forget(self, source_id: int) -> None:
        self.attempt(forget_source, self.service, source_id)
        self.reload()
