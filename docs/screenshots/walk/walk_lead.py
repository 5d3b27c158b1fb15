"""The lead: a practitioner exports anonymous outcomes to the lead; the lead imports them (unknown
sender shown by fingerprint), then makes the outcome report covering both; its first page.

Run from the repository root under Xvfb at a clinic laptop's 1366×768 (see make_walk_screenshots.py).
It prints what a practitioner would notice (focus, defaults, messages) as it goes.
"""
# ruff: noqa
import datetime as dt
import io
import subprocess
import sys

from walk_common import PASSPHRASE, TMP, keep, pdf_pages, pump, shoot
from shots import sample_video

from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from tests.app.outcome_bundle_support import lead, practitioner
from vigstudio.app import keys
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.background import running_tasks
from vigstudio.ui.main_window import MainWindow

def wait(cond, ms=30000):
    t = 0
    while not cond() and t < ms: pump(200); t += 200


app = make_application()
prac, boss = practitioner(TMP, PASSPHRASE), lead(TMP, PASSPHRASE)
keys.add_contact(prac, "Service Lead", keys.contact_card(boss), "supervisor")
w = MainWindow(prac); install_features(w); w.setGeometry(w.screen().availableGeometry()); w.show(); pump(800)
menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Outcomes")
acts = {a.text(): a for a in menu.actions()}
acts["Export anonymous outcomes…"].trigger(); pump(600)
ex = w.outcomes_dialog; print("export size", ex.size(), "default:", [b.text() for b in ex.findChildren(type(ex.export_button)) if b.isDefault()])
ex.out_edit.setText(str(TMP / "outcomes.age"))
shoot("l01-export-dialog")
QTest.keyClick(ex, Qt.Key.Key_Return); wait(lambda: (TMP / "outcomes.age").exists() and not running_tasks()); pump(500)
print("status:", w.statusBar().currentMessage())
w.close(); pump(300)
L = MainWindow(boss); install_features(L); L.setGeometry(L.screen().availableGeometry()); L.show(); pump(800)
menu = next(a.menu() for a in L.menuBar().actions() if a.text() == "&Outcomes")
acts = {a.text(): a for a in menu.actions()}
acts["Import outcomes bundle…"].trigger(); pump(600)
im = L.outcomes_dialog
im.file_edit.setText(str(TMP / "outcomes.age"))
QTest.keyClick(im, Qt.Key.Key_Return); wait(lambda: im.sender_panel.isVisibleTo(im)); pump(300)
shoot("l02-import-unknown-sender")
im.sender_name_edit.setText("HV Practitioner")
import shiboken6
im.accept_sender_button.click(); wait(lambda: not shiboken6.isValid(im) or (not im.isVisible() and not running_tasks())); pump(400)
print("status:", L.statusBar().currentMessage())
acts["Outcome report for the service…"].trigger(); pump(800)
rp = L.outcomes_dialog; rp.path_edit.setText(str(TMP / "report.pdf"))
shoot("l03-report-dialog")
QTest.keyClick(rp, Qt.Key.Key_Return); wait(lambda: (TMP / "report.pdf").exists() and not running_tasks(), 60000); pump(500)
print("status:", L.statusBar().currentMessage())
pdf_pages(TMP / "report.pdf", "l04-report", 2)
keep()
