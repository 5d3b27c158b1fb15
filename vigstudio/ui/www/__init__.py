"""Watch, Wait and Wonder in the GUI: the library window's WWW menu with its undo history (new course,
course details, a session's attendance, deleting what is empty, the course summary PDF), the course
view beside the tree, and the pieces the editor's WWW panels share (`record_list`, `record_commands`,
`observation_dialog`). The editor's panels live in `ui/editor/observations_panel.py` and
`ui/editor/wonder_panel.py`."""

from .course_actions import install_www_menu
from .dialogs import AttendanceDialog, InterventionDialog

__all__ = ["AttendanceDialog", "InterventionDialog", "install_www_menu"]
