"""Watch, Wait and Wonder in the library window: a "WWW" menu (new course, add or edit a session's
attendance, delete an empty session, the course summary PDF). The editor's Observations panel lives
in `ui/editor/observations_panel.py`."""

from .course_actions import AttendanceDialog, install_www_menu

__all__ = ["AttendanceDialog", "install_www_menu"]
