"""Watch, Wait and Wonder use cases, module functions taking the service first like every app use
case: the course and its sessions (`courses.add_intervention(service, ...)`,
`courses.add_session(...)`), timed observations (`observations.add_observation(service, ...)`), the
Wonder half's notes (`wonder.add_note(service, ...)`), the course overview and its summary PDF
(`overview`, `summary`). The GUI and the CLI call these; every edit commits at once, is announced
with a `Change`, and returns what undo needs."""

from .courses import CourseProgress, SessionSnapshot
from .observations import ObservationSnapshot, library_catalogue

__all__ = ["CourseProgress", "ObservationSnapshot", "SessionSnapshot", "library_catalogue"]
