"""A parent fills in the PHQ-9 with the keys (item 9 > 0), the risk flag and its action, the case's
Outcomes, the outcome report dialog.

Run from the repository root under Xvfb at a clinic laptop's 1366×768 (see make_walk_screenshots.py).
It prints what a practitioner would notice (focus, defaults, messages) as it goes.
"""
# ruff: noqa
import datetime as dt
import io
import subprocess
import sys

from walk_common import PASSPHRASE, TMP, keep, pdf_pages, pump, shoot
from vigstudio.app.cases import add_case
from shots import sample_video

from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from vigstudio.app import pathway, outcomes
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.main_window import MainWindow

def fw():
    f = QApplication.focusWidget(); return f"{type(f).__name__}:{f.objectName() if f else ''}"


app = make_application()
service = LibraryService(); service.create(TMP / "Clinic", PASSPHRASE)
today = dt.date.today()
add_case(service, "F-101"); add_case(service, "F-140")
outcomes.add_completion(service, "F-140", "PHQ-9", "pre", date=today - dt.timedelta(days=90), answers=[2,2,3,2,2,2,2,2,0])
outcomes.add_completion(service, "F-140", "GAD-7", "pre", date=today - dt.timedelta(days=90), answers=[2,2,2,2,1,1,2])
w = MainWindow(service); install_features(w)
w.setGeometry(w.screen().availableGeometry()); w.show(); pump(800)
w.library_tabs.setCurrentWidget(w.splitter)
case = next(n for n in w.model.all_nodes() if n.kind.value == "case" and n.obj.code == "F-140")
w.tree.select_key(case.key); pump(300)
menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Outcomes")
acts = {a.text(): a for a in menu.actions()}
acts["Questionnaire…"].trigger(); pump(700)
d = w.outcomes_dialog
print("case:", d.case_combo.currentText(), "measure:", d.measure_combo.currentData(), "when:", d.when_combo.currentText(), "focus:", fw(), "size:", d.size())
d.when_combo.setCurrentText("post")
shoot("q01-questionnaire-open")
# parent types with keyboard
for k in "1 1 2 1 1 0 1 1 2".split():
    QTest.keyClick(QApplication.focusWidget() or d, getattr(Qt.Key, f"Key_{int(k)+1}")); pump(50)
print("answers:", d.answers(), "focus:", fw(), "case now:", d.case_combo.currentText())
shoot("q02-questionnaire-answered")
QTest.keyClick(QApplication.focusWidget() or d, Qt.Key.Key_Return); pump(700)
print("result:", d.result.text(), "risk dialog:", d.risk_dialog is not None)
shoot("q03-risk-flag")
rd = d.risk_dialog
if rd is not None:
    print("risk dialog focus:", fw(), "size", rd.size())
    QTest.keyClick(rd, Qt.Key.Key_Escape); pump(300)
    print("after escape risk visible:", rd.isVisible())
    rd.action_edit.setPlainText("discussed, safety plan, GP informed"); rd.by_edit.setText("HV and me")
    rd.record_button.click(); pump(400)
    print("after record visible:", rd.isVisible(), w.statusBar().currentMessage())
# Enter again: duplicate?
QTest.keyClick(d, Qt.Key.Key_Return); pump(500)
print("completions now:", len(outcomes.case_outcomes(service, "F-140").completions) if hasattr(outcomes, "case_outcomes") else [m for m in dir(outcomes) if not m.startswith('_')])
shoot("q04-after-second-enter")
QTest.keyClick(d, Qt.Key.Key_Escape); pump(300)
acts["Outcomes of this case…"].trigger(); pump(2500)
od = w.outcomes_dialog; print("outcomes dialog size:", od.size())
shoot("q05-outcomes-view")
QTest.keyClick(od, Qt.Key.Key_Escape); pump(300)
acts["Outcome report for the service…"].trigger(); pump(1000)
rp = w.outcomes_dialog; print("report dialog size:", rp.size())
shoot("q06-report-dialog")
keep()
