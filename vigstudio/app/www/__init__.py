"""Watch, Wait and Wonder use cases: the course and its sessions (`courses`), timed observations
(`observations`), the Wonder half's notes (`wonder`), the course overview and its summary PDF
(`overview`, `summary`). The GUI and the CLI call these; every edit commits at once, is announced
with a `Change`, and returns what undo needs."""

from .courses import CourseProgress, Courses, SessionSnapshot
from .observations import Observations, ObservationSnapshot, library_catalogue
from .wonder import WonderNotes

__all__ = ["CourseProgress", "Courses", "ObservationSnapshot", "Observations", "SessionSnapshot", "WonderNotes",
           "library_catalogue"]
