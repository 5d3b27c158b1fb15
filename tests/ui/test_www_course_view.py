"""The course view in the library window: every session with its attendance, followed against
redirected, the themes that came up, totals, and moments whose links open the editor at their frame."""

from __future__ import annotations

import datetime as dt

from tests.ui.shell_support import open_window
from tests.ui.test_editor_support import numbered_video, wait_for_frame  # noqa: F401
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.ui.www import install_www_menu
from vigstudio.ui.www.course_view import moment_link, parse_moment_link


def test_the_course_view_counts_links_and_jumps(qtbot, tmp_path, passphrase, numbered_video):  # noqa: F811
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    try:
        add_case(service, "F-021")
        courses = Courses(service)
        course = courses.add_intervention("F-021", "www")
        first = courses.add_session(course.id, dt.date(2026, 11, 2), attendees=["mother"])
        courses.add_session(course.id, dt.date(2026, 11, 9), attendance="cancelled", cancelled_by="service",
                            reason="room double-booked")
        recording = import_recording(service, "F-021", numbered_video, session_id=first.id)
        observations = Observations(service)
        reach = observations.add(recording.id, 20, "I-REACH", end_frame=30)
        look = observations.add(recording.id, 40, "I-LOOK")
        observations.add(recording.id, 31, "M-FOLLOW", responds_to=reach.id)
        observations.add(recording.id, 42, "M-REDIRECT", responds_to=look.id)
        observations.add(recording.id, 50, "M-FOLLOW")  # names no initiative: not counted
        notes = WonderNotes(service)
        notes.add(first.id, "theme", theme="T-PLAY")
        notes.add(first.id, "theme", "being a good enough mother")

        window = open_window(qtbot, service)
        install_www_menu(window)
        assert window.tree.select_key(("course", course.id))
        qtbot.waitUntil(lambda: window.www_course_view.shown == course.id)
        text = window.details.text()
        assert "the mother followed <b>1</b> and redirected <b>1</b>" in text
        assert "02 Nov 2026" in text and "cancelled by the service — room double-booked" in text
        assert "Play and enjoyment" in text and "being a good enough mother" in text
        link = moment_link(first.id, look.id)
        assert f"href='{link}'" in text and parse_moment_link(link) == (first.id, look.id)
        assert parse_moment_link("https://example.org") is None

        # a new observation (made in an editor) refreshes the view
        observations.add(recording.id, 60, "M-REDIRECT", responds_to=reach.id)
        qtbot.waitUntil(lambda: "redirected <b>2</b>" in window.details.text())

        # the moment's link opens the session's editor at its frame, the observation selected
        window.details.label.linkActivated.emit(link)
        qtbot.waitUntil(lambda: first.id in window.editor_launcher.editors)
        editor = window.editor_launcher.editors[first.id]
        wait_for_frame(qtbot, editor, 40)
        assert editor.observations_panel.selected_id() == look.id

        # another node shows its own details again
        assert window.tree.select_key(("session", first.id))
        assert window.www_course_view.shown is None and "followed" not in window.details.text()
        editor.close()
        window.close()
    finally:
        service.close()
