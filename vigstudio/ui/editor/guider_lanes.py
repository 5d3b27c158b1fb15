"""The guider on the shared-review timeline: the supervisor's ratings of the guider and the practitioner's
self-assessment, each in its own labelled lane.

`EditorGuider(window, panel)` is made by `EditorSupervision`. While the editor shows a shared-review
recording it feeds the timeline two moment lanes (`TimelineWidget.set_moment_lanes`):

- in the practitioner's own library: "Supervisor's rating" (the comments that came back in a
  feedback bundle with `rates_guider`) and "Your self-assessment", which they tag here, before sending
  the bundle (a small box under the Comments panel: principle, a few words, "Tag this moment"; undoable);
- in the supervisor's library: "Your rating" (made with the Comments panel's "Rates the
  guider" box) and "Trainee's self-assessment" (read-only: it came in the bundle).

A click on a moment goes to its frame. On any other recording the lanes are gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vigstudio.app import guider
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.domain.errors import VigError
from vigstudio.domain.guider import SelfAssessment
from vigstudio.domain.model import Comment
from vigstudio.domain.principles import Catalogue
from vigstudio.ui.commands import EditCommand, UndoableEditor
from vigstudio.ui.editor.chips import colour_dot_icon, principle_colour
from vigstudio.ui.editor.comments_panel import MAX_COMMENT_LENGTH, CommentsPanel
from vigstudio.ui.editor.text_commit import FieldLineEdit
from vigstudio.ui.timeline import TimelineMomentLane, TimelineObservation

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow

RATINGS_LANE = "guider_ratings"
SELF_LANE = "self_assessment"
SUPERVISOR_COLOUR = "#2F6F73"
SELF_COLOUR = "#8A5A9E"
_KINDS = (ChangeKind.COMMENT, ChangeKind.SELF_ASSESSMENT, ChangeKind.LIBRARY)


def lane_labels(own_library: bool, rating_authors: list[str], self_authors: list[str]) -> tuple[str, str]:
    """(the ratings lane's label, the self-assessment lane's label): short, whose moments they are."""
    if own_library:
        return "Supervisor's rating", "Your self-assessment"
    return "Your rating", "Trainee's self-assessment"


def lane_descriptions(own_library: bool, rating_authors: list[str], self_authors: list[str]) -> tuple[str, str]:
    """The lanes' tooltips: what they show, and who wrote it."""
    def by(authors: list[str]) -> str:
        names = sorted(set(authors) - {""})
        return f" ({', '.join(names)})" if names else ""
    if own_library:
        return (f"Your supervisor's ratings of you as guider{by(rating_authors)}: the principles as you showed "
                "them with the parent. They came with a feedback bundle.",
                "Your self-assessment: moments where you showed the principles as guider. It goes to your "
                "supervisor with the session's bundle.")
    return ("Your ratings of the guider: comments made with “Rates the guider” on this recording. They go "
            "back with the feedback bundle.",
            f"The trainee's self-assessment{by(self_authors)}: read-only, it came with their bundle.")


# -- undo ---------------------------------------------------------------------------------------------


class AddSelfAssessment(EditCommand):
    def __init__(self, undoable: UndoableEditor, item: SelfAssessment):
        super().__init__(undoable.service, f"Self-assessment {item.principle} at frame {item.frame}")
        self.item = item

    def undo_edit(self) -> None:
        self.item = guider.delete_self_assessment(self.service, self.item.saved_id)

    def do(self) -> None:
        guider.restore_self_assessment(self.service, self.item)


class RemoveSelfAssessment(EditCommand):
    def __init__(self, undoable: UndoableEditor, item: SelfAssessment):
        super().__init__(undoable.service, f"Remove self-assessment {item.principle} at frame {item.frame}")
        self.item = item

    def undo_edit(self) -> None:
        guider.restore_self_assessment(self.service, self.item)

    def do(self) -> None:
        self.item = guider.delete_self_assessment(self.service, self.item.saved_id)


def add_self_assessment(undoable: UndoableEditor, recording_id: int, frame: int, principle: str,
                        text: str = "") -> SelfAssessment:
    """Write the tag at once, then push its undo step."""
    item = guider.add_self_assessment(undoable.service, recording_id, frame, principle, text)
    undoable.push(AddSelfAssessment(undoable, item))
    return item


def remove_self_assessment(undoable: UndoableEditor, item_id: int) -> SelfAssessment:
    item = guider.delete_self_assessment(undoable.service, item_id)
    undoable.push(RemoveSelfAssessment(undoable, item))
    return item


# -- the box ------------------------------------------------------------------------------------------


class SelfAssessmentBox(QWidget):
    """Tag the moment on screen with a principle as you showed it as guider (your own shared review)."""

    addRequested = Signal(str, str)  # principle code, the words
    removeRequested = Signal()  # the tag at the frame on screen

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("selfAssessmentBox")
        title = QLabel("Self-assessment — how you guided at this moment")
        title.setObjectName("selfAssessmentTitle")
        title.setWordWrap(True)
        self.principle = QComboBox()
        self.principle.setObjectName("selfAssessmentPrinciple")
        self.principle.setAccessibleName("Principle you showed as guider")
        self.principle.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.principle.setMinimumContentsLength(12)  # the dock stays narrow on a laptop screen
        for p in catalogue.principles:
            self.principle.addItem(colour_dot_icon(principle_colour(catalogue, p.code)), f"{p.code}  {p.name}", p.code)
        self.text = FieldLineEdit()
        self.text.setObjectName("selfAssessmentText")
        self.text.setAccessibleName("Self-assessment note")
        self.text.setPlaceholderText("What you did (optional) — Enter tags the moment")
        self.text.setMaxLength(MAX_COMMENT_LENGTH)
        self.text.returnPressed.connect(self.request_add)
        self.add_button = QPushButton("Tag this moment")
        self.add_button.setObjectName("addSelfAssessmentButton")
        self.add_button.clicked.connect(self.request_add)
        self.remove_button = QPushButton("Remove tag here")
        self.remove_button.setObjectName("removeSelfAssessmentButton")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.removeRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.principle)
        layout.addWidget(self.text)
        layout.addLayout(buttons)

    def request_add(self) -> None:
        code = self.principle.currentData()
        if code:
            self.addRequested.emit(code, self.text.text().strip())

    def added(self) -> None:
        self.text.clear()


# -- the editor part ----------------------------------------------------------------------------------


class EditorGuider(QObject):
    _arrived = Signal(object)  # a Change, queued to the GUI thread

    def __init__(self, window: EditorWindow, panel: CommentsPanel):
        super().__init__(window)
        self.window, self.panel = window, panel
        self.box = SelfAssessmentBox(window.catalogue)
        self.box.setVisible(False)
        layout = panel.layout()
        assert layout is not None
        layout.addWidget(self.box)
        self.box.addRequested.connect(self.add_self_assessment)
        self.box.removeRequested.connect(self.remove_self_assessment_here)
        self.box.text.cancelled.connect(window.keys_back_to_video)
        self._review: dict[int, bool] = {}  # recording id → is a shared-review recording
        self._shown: int | None = None  # the recording whose lanes are on the timeline
        self._moments: guider.GuiderMoments | None = None
        window.timeline.momentClicked.connect(self._moment_clicked)
        window.data.changed.connect(self.refresh)
        window.playback.frameShown.connect(self._frame_shown)
        self._arrived.connect(self._on_change)
        self._unsubscribe: Callable[[], None] | None = window.service.subscribe(self._arrived.emit)
        window.closed.connect(self.detach)
        self.refresh()

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @Slot(object)
    def _on_change(self, change: Change) -> None:
        if self._unsubscribe is None or change.kind not in _KINDS:
            return
        if change.kind == ChangeKind.LIBRARY and change.action == ChangeAction.CLOSED:
            self.detach()  # locked or closed: the window closes itself
            return
        self.refresh()

    def _frame_shown(self, frame: int) -> None:
        recording = self.window.recording
        if (recording.id if recording is not None else None) != self._shown:
            self.refresh()  # another recording was opened
        else:
            self._update_remove(frame)

    # -- showing --------------------------------------------------------------------------------------

    def _is_review(self, recording_id: int) -> bool:
        if recording_id not in self._review:
            self._review[recording_id] = guider.review_recording(self.window.service, recording_id)
        return self._review[recording_id]

    def refresh(self) -> None:
        window = self.window
        recording = window.recording
        try:
            review = recording is not None and self._is_review(recording.id)
            self._moments = guider.guider_moments(window.service, recording.id) if review and recording else None
        except VigError:  # the recording or the library is going away: the window closes itself
            self._moments = None
        self._shown = recording.id if recording is not None else None
        self.panel.set_can_rate_guider(self._moments is not None)
        moments = self._moments
        if moments is None:
            window.timeline.set_moment_lanes([])
            self.box.setVisible(False)
            return
        own = moments.self_assessment_editable
        authors = [c.author for c in moments.ratings], [s.author for s in moments.self_assessment]
        ratings_label, self_label = lane_labels(own, *authors)
        ratings_tip, self_tip = lane_descriptions(own, *authors)
        window.timeline.set_moment_lanes([
            TimelineMomentLane(RATINGS_LANE, ratings_label, tuple(self._rating(c) for c in moments.ratings),
                               SUPERVISOR_COLOUR, ratings_tip),
            TimelineMomentLane(SELF_LANE, self_label, tuple(self._self(s) for s in moments.self_assessment),
                               SELF_COLOUR, self_tip),
        ])
        self.box.setVisible(own)
        self._update_remove(window.playback.current_frame)

    def _principle(self, code: str | None) -> tuple[str, Any]:
        catalogue = self.window.catalogue
        if not code:
            return "", "#7C8C96"
        try:
            return catalogue.principle(code).name, principle_colour(catalogue, code)
        except VigError:
            return code, "#7C8C96"

    def _rating(self, comment: Comment) -> TimelineObservation:
        name, colour = self._principle(comment.principle)
        assert comment.frame is not None  # guider ratings always sit on a frame
        return TimelineObservation(comment.id, comment.frame, None, comment.principle or "•", name,
                                   f"{comment.text} — {comment.author}", colour)

    def _self(self, item: SelfAssessment) -> TimelineObservation:
        name, colour = self._principle(item.principle)
        return TimelineObservation(item.id, item.frame, None, item.principle, name, item.text, colour)

    def _here(self, frame: int) -> SelfAssessment | None:
        moments = self._moments
        if moments is None or not moments.self_assessment_editable:
            return None
        return next((s for s in moments.self_assessment if s.frame == frame), None)

    def _update_remove(self, frame: int) -> None:
        self.box.remove_button.setEnabled(self._here(frame) is not None)

    def _moment_clicked(self, lane: str, moment_id: Any) -> None:
        for m in next((ln.moments for ln in self.window.timeline.moment_lanes if ln.key == lane), ()):
            if m.id == moment_id:
                self.window.playback.seek(m.frame)
                return

    # -- edits ----------------------------------------------------------------------------------------

    def add_self_assessment(self, principle: str, text: str) -> SelfAssessment | None:
        window = self.window
        if window.recording is None or self._moments is None or not self._moments.self_assessment_editable:
            return None
        frame = window.playback.current_frame
        try:
            item = add_self_assessment(window.undoable, window.recording.id, frame, principle, text)
        except VigError as err:
            window.show_message(str(err))
            return None
        self.box.added()
        window.show_message(f"Self-assessment {item.principle} at frame {frame}.")
        return item

    def remove_self_assessment_here(self) -> None:
        item = self._here(self.window.playback.current_frame)
        if item is None:
            return
        try:
            remove_self_assessment(self.window.undoable, item.saved_id)
        except VigError as err:
            self.window.show_message(str(err))
