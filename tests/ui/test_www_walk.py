"""What walking a WWW course as a therapist found (1366×768): the course row in the library tree kept
"session 0 of 15" while sessions were added, its expand arrow vanished while it was selected, a
response's "↩ 3" named an id shown nowhere, and the summary's table broke words mid-way."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QColor

from tests.ui.shell_support import make_library, nodes_of, open_window
from vigstudio.app.cases import find_case
from vigstudio.app.www.summary import make_course_summary
from vigstudio.domain.observations import default_catalogue
from vigstudio.domain.www import Observation
from vigstudio.ui.editor.observations_panel import ObservationsPanel
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.style import STYLESHEET
from vigstudio.ui.www import AttendanceDialog, install_www_menu
from vigstudio.ui.www.course_actions import add_session


def _course_label(window) -> str:
    [course] = nodes_of(window, NodeKind.COURSE)
    return window.model.index_for_node(course).data()


def test_the_course_row_counts_the_sessions_added_from_the_menu_and_keeps_its_arrow(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    try:
        window = open_window(qtbot, service)
        window.resize(1366, 768)
        actions = install_www_menu(window)
        window.tree.select_key(("case", find_case(service, "F-1").id))
        actions["newCourse"].trigger()
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.COURSE)) == 1)
        [course] = nodes_of(window, NodeKind.COURSE)
        window.tree.select_key(course.key)
        for weeks in (2, 1):
            dialog = AttendanceDialog(window)
            dialog.date.setDate(QDate.currentDate().addDays(-7 * weeks))
            QTimer.singleShot(0, dialog.accept)
            add_session(window, dialog)
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 2)
        qtbot.waitUntil(lambda: "WWW session 2 of 15" in _course_label(window), timeout=5000)

        # The selected course row still draws its expand arrow (a dark mark left of its icon), with the
        # app's stylesheet on the tree alone (on the application it would leak into other tests).
        window.tree.setStyleSheet(STYLESHEET)
        window.tree.collapseAll()
        window.tree.expand(window.model.index_for_key(("case", find_case(service, "F-1").id)))
        window.tree.select_key(course.key)
        qtbot.wait(50)
        rect = window.tree.visualRect(window.model.index_for_key(course.key))
        picture = window.tree.viewport().grab().toImage()
        dark = [x for x in range(max(0, rect.left() - window.tree.indentation()), rect.left())
                for y in range(rect.top(), rect.bottom())
                if QColor(picture.pixel(x, y)).lightness() < 120]
        assert dark, "no expand arrow on the selected course row"
        window.close()
    finally:
        service.close()


def test_a_response_names_the_initiative_it_answers_by_its_code_and_frame(qtbot):
    panel = ObservationsPanel(default_catalogue())
    qtbot.addWidget(panel)
    reach = Observation(id=7, recording_id=1, frame=40, code="I-REACH", text="the cup")
    follow = Observation(id=9, recording_id=1, frame=55, code="M-FOLLOW", responds_to=7)
    panel.set_observations([reach, follow])
    line = panel.list.item(1).text()
    assert "↩ I-REACH 40" in line and "↩ 7" not in line
    assert panel.list.item(0).toolTip() == panel.list.item(0).text()  # the whole line where the list cuts it


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_course_summary_table_keeps_dates_and_headings_whole(tmp_path, passphrase):
    from vigstudio.app.www import courses

    service = make_library(tmp_path / "lib", passphrase, ("F-1",))
    try:
        course = courses.add_intervention(service, "F-1", "www")
        courses.add_session(service, course.id, dt.date(2026, 11, 2), attendees=["mother"])
        out = make_course_summary(service, course.id, tmp_path / "summary.pdf")
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "02 Nov 2026" in text and "Followed" in text and "No." in text
    finally:
        service.close()
