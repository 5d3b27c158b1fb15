"""Panels of the library window: the empty state, the details of the selected item, the demo banner."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from vigstudio.domain.model import Recording
from vigstudio.domain.timecode import format_seconds
from vigstudio.ui.icons import icon
from vigstudio.ui.library_model import REFERRAL_LABELS, SESSION_LABELS, Node, NodeKind
from vigstudio.ui.style import MUTED

DEMO_BANNER_TEXT = ("Demo library — no real family. Everything here is generated sample data: "
                    "try things out freely.")


class DemoBanner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(DEMO_BANNER_TEXT, parent)
        self.setObjectName("DemoBanner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


def centred_card(name: str, max_width: int, radius: int, icon_name: str, icon_px: int,
                 title: str, title_pt: int) -> tuple[QFrame, QLabel, QLabel]:
    """The rounded card a whole-window state shows (empty library, lock screen): its frame, its
    icon and its title, for the caller to lay out with the rest."""
    card = QFrame()
    card.setObjectName(name)
    card.setMaximumWidth(max_width)
    card.setStyleSheet(f"QFrame#{name} {{ background: palette(base); border: 1px solid palette(mid);"
                       f" border-radius: {radius}px; }}")
    symbol = QLabel()
    symbol.setPixmap(icon(icon_name).pixmap(icon_px, icon_px))
    symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
    heading = QLabel(title)
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    heading.setStyleSheet(f"font-size: {title_pt}pt; font-weight: 600;")
    return card, symbol, heading


class EmptyState(QWidget):
    """What a new library shows: what to do first, and the buttons to do it."""

    add_case_clicked = Signal()
    import_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        card, symbol, self.title = centred_card("emptyCard", 560, 12, "import", 64,
                                                "Import a recording to begin", 17)
        self.title.setObjectName("emptyTitle")
        steps = QLabel(
            "<ol style='margin-left: 0px; -qt-list-indent: 1;'>"
            "<li style='margin-bottom: 8px'><b>Add a case</b> with a pseudonymous code such as "
            "<i>F-014</i>. No names needed.</li>"
            "<li style='margin-bottom: 8px'><b>Import the recording</b> of the filming session, "
            "or drag a video file onto this window.</li>"
            "<li><b>Open the session</b> to find the moments that went better than usual.</li>"
            "</ol>")
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setWordWrap(True)
        steps.setStyleSheet("font-size: 11pt;")
        self.add_case_button = QPushButton(icon("add-case"), "Add a case…")
        self.import_button = QPushButton("Import a recording…")
        self.import_button.setProperty("primary", True)
        self.add_case_button.clicked.connect(self.add_case_clicked)
        self.import_button.clicked.connect(self.import_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_case_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        privacy = QLabel("Everything you import is encrypted inside this library; nothing is uploaded.")
        privacy.setProperty("muted", True)
        privacy.setAlignment(Qt.AlignmentFlag.AlignCenter)
        privacy.setWordWrap(True)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 30, 36, 26)
        inner.setSpacing(14)
        inner.addWidget(symbol)
        inner.addWidget(self.title)
        inner.addWidget(steps)
        inner.addLayout(buttons)
        inner.addSpacing(4)
        inner.addWidget(privacy)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


class DetailsPane(QScrollArea):
    """Facts about the selected case, cycle, session or recording."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.label = QLabel()
        self.label.setObjectName("detailsText")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setContentsMargins(18, 14, 18, 14)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWidget(self.label)
        self.show_node(None)

    def show_node(self, node: Node | None) -> None:
        self.label.setText(describe(node))

    def text(self) -> str:
        return self.label.text()


def _recordings_under(node: Node) -> list[Recording]:
    if node.kind == NodeKind.RECORDING:
        return [node.obj]
    return [r for child in node.children for r in _recordings_under(child)]


def _sessions_under(node: Node) -> list[Node]:
    if node.kind == NodeKind.SESSION:
        return [node]
    return [s for child in node.children for s in _sessions_under(child)]


def _duration(recordings: list[Recording]) -> str:
    return format_seconds(sum(r.duration for r in recordings), millis=False)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='color:{MUTED}; padding:3px 16px 3px 0'>{escape(k)}</td>"
                    f"<td style='padding:3px 0'>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def describe(node: Node | None) -> str:
    if node is None:
        return (f"<p style='color:{MUTED}'>Select a case, session or recording to see its details.<br>"
                "Double-click a session to open it.</p>")
    if node.kind == NodeKind.CASE:
        case = node.obj
        sessions = _sessions_under(node)
        recordings = _recordings_under(node)
        rows = [("Referred by", escape(REFERRAL_LABELS.get(case.referral, str(case.referral)))),
                ("Status", escape(case.status.value.capitalize())),
                ("Cycles", str(sum(1 for c in node.children if c.kind == NodeKind.CYCLE))),
                ("Sessions", str(len(sessions))),
                ("Recordings", f"{len(recordings)} ({_duration(recordings)} in all)"),
                ("Clips", str(sum(s.session_node.clip_count for s in sessions if s.session_node))),
                ("Added", f"{case.created_at:%d %b %Y}")]
        for child in node.children:  # each WWW course's progress (VIG shows as its cycles)
            if child.kind == NodeKind.COURSE and child.progress is not None:
                rows.append((child.progress.headline(), escape(child.progress.attendance_line())))
        if case.name:
            rows.insert(0, ("Name", escape(case.name)))
        title = f"Case {escape(case.code)}" + (" <span style='color:#9A6700'>(demo)</span>" if case.is_demo else "")
        return f"<h2>{title}</h2>{_table(rows)}"
    if node.kind == NodeKind.COURSE and node.progress is not None:
        progress, course = node.progress, node.obj
        rows = [("Case", escape(node.case().code)), ("Progress", escape(progress.headline())),
                ("Attendance", escape(progress.attendance_line())),
                ("Status", escape(course.status.value.replace("_", " ").capitalize())),
                ("Started", f"{course.started_on:%d %b %Y}" if course.started_on else "—")]
        for s in progress.sessions:
            number = progress.number_of(s.id)
            what = f"session {number}" if number else s.attendance.value.replace("dna", "not attended")
            reason = f" — {escape(s.attendance_reason)}" if s.attendance_reason else ""
            rows.append((f"{s.date:%d %b %Y}", f"{escape(what)}{reason}"))
        return f"<h2>Watch, Wait and Wonder course</h2>{_table(rows)}"
    if node.kind == NodeKind.CYCLE:
        cycle = node.obj
        recordings = _recordings_under(node)
        question = escape(cycle.helping_question) if cycle.helping_question else \
            f"<span style='color:{MUTED}'>not recorded yet</span>"
        rows = [("Case", escape(node.case().code)), ("Helping question", question),
                ("Sessions", str(len(node.children))),
                ("Recordings", f"{len(recordings)} ({_duration(recordings)} in all)")]
        return f"<h2>{escape(node.label())}</h2>{_table(rows)}"
    if node.kind == NodeKind.SESSION:
        session = node.obj
        s_node = node.session_node
        recordings = _recordings_under(node)
        rows = [("Case", escape(node.case().code)), ("Date", f"{session.date:%A %d %B %Y}"),
                ("Recordings", f"{len(recordings)} ({_duration(recordings)} in all)"),
                ("Frames", f"{sum(r.frame_count for r in recordings):,}"),
                ("Clips", str(s_node.clip_count if s_node else 0)),
                ("Stills", str(s_node.still_count if s_node else 0))]
        if session.notes:
            rows.append(("Notes", escape(session.notes).replace("\n", "<br>")))
        title = escape(SESSION_LABELS.get(session.kind, str(session.kind)))
        return (f"<h2>{title} session</h2>{_table(rows)}"
                f"<p style='color:{MUTED}'>Double-click the session to open it.</p>")
    if node.kind == NodeKind.CLIP:
        clip = node.obj
        rec = node.parent.obj
        seconds = clip.frame_count / rec.fps if rec.fps else 0.0
        rows = [("Case", escape(node.case().code)), ("Recording", escape(rec.file_name)),
                ("Frames", f"{clip.start_frame}–{clip.end_frame - 1} ({clip.frame_count} frames, {seconds:.1f} s)"),
                ("In the review", f"clip {node.number}")]
        return (f"<h2>{escape(node.label())}</h2>{_table(rows)}"
                f"<p style='color:{MUTED}'>F5 starts the shared review at this clip.</p>")
    rec: Recording = node.obj
    rows = [("Case", escape(node.case().code)),
            ("Duration", format_seconds(rec.duration, millis=False)),
            ("Frames", f"{rec.frame_count:,}"),
            ("Frame rate", f"{rec.fps:.3g} fps"),
            ("Picture", f"{rec.width} × {rec.height}" if rec.width else "unknown"),
            ("Sound", "yes" if rec.has_audio else "no"),
            ("Imported", f"{rec.imported_at.astimezone():%d %b %Y %H:%M}"),
            ("SHA-256", f"<span style='font-family:monospace'>{rec.sha256[:16]}…</span>")]
    return f"<h2>{escape(rec.file_name)}</h2>{_table(rows)}"
