"""The course view: what the library window's details pane shows for a selected WWW course. Every
session in a row with its attendance, what was coded (the infant initiatives the mother followed
against redirected, from responses that name the initiative they answer), the themes that came up
in the Wonder half, and links to the coded moments: a click opens the session's editor at that
frame. Totals for the course below. It reads `app.www.overview.course_overview` and refreshes when
observations or Wonder notes change (the library tree does not show those)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt, Signal

from vigstudio.app.changes import Change, ChangeKind
from vigstudio.app.www.overview import CourseOverview, SessionSummary, course_overview
from vigstudio.app.www.summary import attendance_words
from vigstudio.domain.errors import VigError
from vigstudio.ui.library_model import Node, NodeKind
from vigstudio.ui.style import MUTED

MOMENT_SCHEME = "moment"  # moment:<session id>:<observation id>
MOMENTS_SHOWN = 8  # per session; the rest are counted ("+3 more")
_CELL = "padding:3px 12px 3px 0; vertical-align:top"


def moment_link(session_id: int, observation_id: int) -> str:
    return f"{MOMENT_SCHEME}:{session_id}:{observation_id}"


def parse_moment_link(link: str) -> tuple[int, int] | None:
    scheme, _, rest = link.partition(":")
    session, _, observation = rest.partition(":")
    if scheme != MOMENT_SCHEME or not session.isdigit() or not observation.isdigit():
        return None
    return int(session), int(observation)


def _unbroken(code: str) -> str:
    """A code kept on one line (Qt's layout breaks after a hyphen even inside <nobr>)."""
    return escape(code).replace("-", "\u2011")


def _moments(row: SessionSummary) -> str:
    links = [f"<nobr><a href='{moment_link(row.session.saved_id, o.saved_id)}'>{o.frame}&nbsp;{_unbroken(o.code)}</a></nobr>"
             for o in row.observations[:MOMENTS_SHOWN]]
    more = len(row.observations) - MOMENTS_SHOWN
    if more > 0:
        links.append(f"<span style='color:{MUTED}'>+{more} more</span>")
    return ", ".join(links) or "—"


def _themes(row: SessionSummary) -> str:
    return escape(", ".join(row.themes + row.own_themes)) or "—"


def _cells(values: list[str], *, bold: bool = False) -> str:
    weight = "font-weight:600;" if bold else ""
    return "<tr>" + "".join(f"<td style='{_CELL};{weight}'>{v}</td>" for v in values) + "</tr>"


def course_html(overview: CourseOverview) -> str:
    progress, course = overview.progress, overview.intervention
    facts = [("Progress", escape(progress.headline())), ("Attendance", escape(progress.attendance_line())),
             ("Status", escape(course.status.value.replace("_", " ").capitalize())),
             ("Started", f"{course.started_on:%d %b %Y}" if course.started_on else "—"),
             ("Initiatives", f"{overview.initiatives} infant initiatives coded; the mother followed <b>{overview.followed}</b> "
                             f"and redirected <b>{overview.redirected}</b> (responses that name the initiative)")]
    themes = overview.themes()
    own = sum(len(s.own_themes) for s in overview.sessions)
    if themes or own:
        words = [f"{escape(label)} ({count} session{'s' if count != 1 else ''})" for label, count in themes]
        if own:
            words.append(f"{own} in her or your own words")
        facts.append(("Themes", ", ".join(words)))
    table = "".join(f"<tr><td style='color:{MUTED}; {_CELL}'>{escape(k)}</td><td style='{_CELL}'>{v}</td></tr>"
                    for k, v in facts)
    head = ["Date", "No.", "Attendance", "Coded", "Followed", "Redirected", "Themes", "Moments"]
    rows = ["<tr>" + "".join(f"<th align='left' style='{_CELL}'>{h}</th>" for h in head) + "</tr>"]
    for s in overview.sessions:
        reason = f" — {escape(s.session.attendance_reason)}" if s.session.attendance_reason else ""
        rows.append(_cells([f"<nobr>{s.session.date:%d %b %Y}</nobr>", str(s.number) if s.number else "—",
                            escape(attendance_words(s.session.attendance, s.session.cancelled_by)) + reason,
                            str(len(s.observations)), str(s.followed), str(s.redirected), _themes(s),
                            _moments(s)]))
    rows.append(_cells(["In all", str(progress.attended), "", str(sum(len(s.observations) for s in overview.sessions)),
                        str(overview.followed), str(overview.redirected), str(len(themes) + own), ""], bold=True))
    hint = (f"<p style='color:{MUTED}'>Click a moment to open its session at that frame. "
            "WWW ▸ Course summary makes the anonymous PDF.</p>")
    return (f"<h2>Watch, Wait and Wonder course</h2><table>{table}</table>"
            f"<h3>Sessions</h3><table cellspacing=0>{''.join(rows)}</table>{hint}")


class CourseView(QObject):
    """Puts the course view into the library window's details pane for a selected course, and opens
    the editor at a moment whose link is clicked."""

    _change_arrived = Signal(object)

    def __init__(self, main_window) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.shown: int | None = None  # the intervention on show
        label = main_window.details.label
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        label.linkActivated.connect(self.open_moment)
        # Connected after the window's own handler, so this runs after the pane showed the node.
        main_window.tree.current_node_changed.connect(self.show_node)
        self._change_arrived.connect(self._changed, Qt.ConnectionType.QueuedConnection)
        unsubscribe = main_window.service.subscribe(self._change_arrived.emit)
        self.destroyed.connect(lambda _object=None: unsubscribe())  # (goes with the window)

    def show_node(self, node: Node | None) -> None:
        self.shown = None
        if node is None or node.kind != NodeKind.COURSE or self.main_window.locked:
            return
        service = self.main_window.service
        try:
            html = course_html(course_overview(service, node.obj.id))
        except VigError as err:  # e.g. deleted meanwhile: the plain details stay
            self.main_window.statusBar().showMessage(str(err), 8000)
            return
        self.main_window.details.label.setText(html)
        self.shown = node.obj.id

    def _changed(self, change: Change) -> None:
        if self.shown is not None and change.kind in (ChangeKind.OBSERVATION, ChangeKind.WONDER_NOTE):
            self.show_node(self.main_window.current_node())

    def open_moment(self, link: str):
        """The editor of the moment's session, at the observation's frame (its row selected)."""
        moment = parse_moment_link(link)
        if moment is None:
            return None
        session_id, observation_id = moment
        editor = self.main_window.editor_launcher.open(session_id)
        if editor is not None:
            editor.go_to_observation(observation_id)
        return editor
