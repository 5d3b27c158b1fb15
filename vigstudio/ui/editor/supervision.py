"""The editor in supervision: read-only clips, and the supervisor's timed comments.

`EditorSupervision(window)` is made once by `EditorWindow` after its docks and actions exist, and owns
the Comments panel, its dock and what keeps them in step:

- In a supervision case (opened from a practitioner's bundle) the clips, tags and stills are the
  practitioner's: the editor offers no edit of them (no trim handles, no rename / reorder / delete,
  no tagging, no new clips or stills, captions read-only; the session notes and helping question are
  shown read-only too) and says so in a small note. The app refuses those edits anyway
  (`ReadOnlySupervision`); this only keeps the window from offering them.
- A "Comments" dock, tabbed with the Session dock, lists the session's comments. A click (or Enter)
  on one goes to its moment: the clip's frame, or the time in the shared-review recording (switching
  to that recording; in the practitioner's library the review is a session of its own, so its editor
  opens there). In a supervision case the dock has a box to add a comment at the frame on screen, an
  undoable edit on the window's stack; in the practitioner's own library it shows the comments that
  came back in a feedback bundle, read-only.

Comment words go from the box to the library only: never to logs, the status bar or QSettings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer

from vigstudio.app import feedback
from vigstudio.app.recordings import get_recording
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Comment, Recording
from vigstudio.ui.editor.clip_list import clip_display_title
from vigstudio.ui.editor.comment_commands import add_comment
from vigstudio.ui.editor.comments_panel import CommentRow, CommentsPanel, describe, moment_text
from vigstudio.ui.editor.guider_lanes import EditorGuider

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow

READ_ONLY_NOTE = "Read-only — from a supervision bundle"
READ_ONLY_TIP = ("These clips, tags and stills are the practitioner's and cannot be changed here. "
                 "Add your comments in the Comments panel.")
FEEDBACK_NOTE = "Your supervisor's comments arrive here with a feedback bundle (read-only)."


class EditorSupervision(QObject):
    """The supervision part of one editor window: in a supervision case the window's edits are
    switched off (through each part's own `set_read_only`), and the Comments dock is made here."""

    def __init__(self, window: EditorWindow):
        super().__init__(window)
        read_only = window.data.read_only
        if read_only:
            make_read_only(window)
        self.panel = CommentsPanel(window.catalogue, can_add=read_only,
                                   read_only_note="" if read_only else FEEDBACK_NOTE)
        self.dock = window.add_dock("Comments", "commentsDock", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.session_dock, self.dock)
        if read_only:  # a supervisor is here to comment: the comments first, and roomier than the principles
            self.dock.raise_()
            # once the window is laid out (sizes given before that are not kept)
            QTimer.singleShot(0, lambda: window.resizeDocks([window.principles_dock, self.dock],
                                                            [240, 420], Qt.Orientation.Vertical))
        else:
            window.session_dock.raise_()
        self.comments = EditorComments(window, self.panel)
        self.guider = EditorGuider(window, self.panel)  # the guider's lanes on a shared-review recording


def make_read_only(window: EditorWindow) -> None:
    """Offer no edit of the session's clips, tags and stills (markers stay: they are the viewer's own)."""
    for action_id in ("make_clip", "take_still"):
        window.actions_by_id[action_id].setEnabled(False)
        window.actions_by_id[action_id].setToolTip(READ_ONLY_TIP)
    window.clips_panel.set_read_only(READ_ONLY_NOTE, READ_ONLY_TIP)
    window.timeline.set_trimmable(False)
    window.principles.set_read_only(True)
    window.stills.set_read_only(True)
    window.side.set_read_only(True)


class EditorComments(QObject):
    """Keeps the Comments panel in step with the library and the playhead, and makes its edits."""

    def __init__(self, window: EditorWindow, panel: CommentsPanel):
        super().__init__(window)
        self.window, self.panel = window, panel
        self._pinned: tuple[int, int] | None = None  # (recording, frame) when the comment was begun
        self._shown = 0  # how many comments the panel lists
        panel.addRequested.connect(self.add)
        panel.jumpRequested.connect(self.jump)
        panel.doneTyping.connect(window.keys_back_to_video)
        panel.text.textEdited.connect(self._typing)
        window.data.changed.connect(self._data_changed)
        window.playback.frameShown.connect(lambda _frame: self._show_moment())
        self.refresh()
        self._show_moment()

    # -- showing --------------------------------------------------------------------------------------

    def _data_changed(self, parts: frozenset[str]) -> None:
        # The rows name the clips and recordings they are on: read again for those only if there are rows.
        if "comments" in parts or (parts & {"clips", "recordings"} and self._shown):
            self.refresh()

    def refresh(self) -> None:
        try:
            found = feedback.comments_shown_with(self.window.service, self.window.data.session_id)
        except VigError:  # the session is going away: the window closes itself
            return
        self._shown = len(found)
        self.panel.set_rows([self.row(c) for c in found])

    def row(self, comment: Comment) -> CommentRow:
        data = self.window.data
        recording = self._recording(comment.recording_id)
        fps = recording.fps if recording is not None else 0.0
        item = data.clip(comment.clip_id) if comment.clip_id is not None else None
        if item is not None:
            number = data.review_number(item.clip.id)
            place = f"Clip {number}" + (f" “{clip_display_title(item.clip, number)}”" if item.clip.title else "")
        elif recording is not None:
            # Not on a clip: the shared-review recording (a supervision bundle carries it beside the
            # clips; in the practitioner's library it is in the cycle's review session).
            place = "Shared review"
            if len(self._review_recordings()) > 1:
                place += f" “{recording.file_name}”"
        elif comment.recording_id is not None:
            place = "Shared-review recording"  # deleted since
        else:
            place = "The whole session"
        moment = moment_text(comment.frame, fps)
        if moment:
            place += f" · {moment}"
        jump = None
        if recording is not None:
            frame = comment.frame if comment.frame is not None else (item.clip.start_frame if item else 0)
            jump = (recording.id, frame)
        return describe(comment, place, jump)

    def _recording(self, recording_id: int | None) -> Recording | None:
        """The recording, in this session or (the shared review, in the practitioner's library) another."""
        if recording_id is None:
            return None
        found = self.window.data.recording(recording_id)
        if found is not None:
            return found
        try:
            return get_recording(self.window.service, recording_id)
        except VigError:  # deleted since
            return None

    def _review_recordings(self) -> list[Recording]:
        data = self.window.data
        return [r for r in data.recordings if not data.clips_of_recording(r.id)]

    def _current(self) -> tuple[int, int] | None:
        window = self.window
        if window.recording is None:
            return None
        return window.recording.id, window.playback.current_frame

    def _show_moment(self) -> None:
        at = self._pinned or self._current()
        if at is None:
            self.panel.set_moment(None)
            return
        recording_id, frame = at
        recording = self.window.data.recording(recording_id)
        item = self.window.data.clip_at(recording_id, frame)
        where = f"clip {self.window.data.review_number(item.clip.id)}" if item is not None else "the recording"
        fps = recording.fps if recording is not None else 0.0
        self.panel.set_moment(f"At {moment_text(frame, fps)} of {where}"
                              + (" (kept while you write)" if self._pinned else ""))

    def _typing(self, text: str) -> None:
        # The comment is about the moment on screen when the supervisor began to write it.
        self._pinned = (self._pinned or self._current()) if text.strip() else None
        self._show_moment()

    # -- edits --------------------------------------------------------------------------------------

    def add(self, text: str, principle: str | None) -> Comment | None:
        window = self.window
        at = self._pinned or self._current()
        if at is None:
            return None
        recording_id, frame = at
        item = window.data.clip_at(recording_id, frame)
        rates_guider = self.panel.wants_guider_rating()
        try:
            comment = add_comment(window.undoable, window.data.session_id, text,
                                  clip_id=item.clip.id if item is not None else None,
                                  recording_id=recording_id, frame=frame, principle=principle,
                                  rates_guider=rates_guider and item is None)
        except VigError as err:
            window.show_message(str(err))
            return None
        self._pinned = None
        self.panel.comment_added()
        self._show_moment()
        window.show_message(f"{'Rating of the guider' if comment.rates_guider else 'Comment'} added at frame {frame}.")
        return comment

    def jump(self, recording_id: int, frame: int) -> None:
        window = self.window
        if window.data.recording(recording_id) is None:
            self._jump_to_other_session(recording_id, frame)
            return
        if window.recording is None or window.recording.id != recording_id:
            window.flush_typing()  # as the recording picker does
            window.open_recording(recording_id)
        window.playback.seek(frame)
        item = window.data.clip_at(recording_id, frame)
        if item is not None:
            window.clips_panel.select_clip(item.clip.id)

    def _jump_to_other_session(self, recording_id: int, frame: int) -> None:
        """The shared-review recording in the practitioner's library is in the review session: its
        editor opens (through whoever opened this one, the library window's launcher) at the comment's frame."""
        window = self.window
        recording = self._recording(recording_id)
        if recording is None:
            window.show_message("That recording is no longer in the library.")
            return
        other = window.open_session(recording.session_id, recording_id)
        if other is None:
            window.show_message("That moment is in the shared-review session: open it from the library.")
            return
        other.playback.seek(frame)
