"""Undo and redo for a supervisor's comment, on the editor's one undo stack (see `vigstudio.ui.commands`).

The comment is written by `vigstudio.app.feedback.add_comment` before the command is pushed (a refusal
raises with nothing pushed). Undo takes it back (`delete_comment`); redo restores the very same comment,
id and uid included, so a feedback bundle made afterwards carries it once. The Edit menu names the
frame, never the comment's words.
"""

from __future__ import annotations

from vigstudio.app import feedback
from vigstudio.domain.model import Comment
from vigstudio.ui.commands import EditCommand, ErrorHandler, UndoableEditor


def comment_label(comment: Comment) -> str:
    if comment.rates_guider:
        return f"Rate the guider at frame {comment.frame}"
    if comment.frame is not None:
        return f"Add comment at frame {comment.frame}"
    return "Add comment"


class AddComment(EditCommand):
    def __init__(self, undoable: UndoableEditor, comment: Comment, on_error: ErrorHandler | None = None):
        super().__init__(undoable.service, comment_label(comment), on_error)
        self.comment = comment

    def undo_edit(self) -> None:
        self.comment = feedback.delete_comment(self.service, self.comment.id)

    def do(self) -> None:
        feedback.restore_comment(self.service, self.comment)


def add_comment(undoable: UndoableEditor, session_id: int, text: str, *, clip_id: int | None = None,
                recording_id: int | None = None, frame: int | None = None,
                principle: str | None = None, rates_guider: bool = False) -> Comment:
    """Write the comment at once, then push its undo step."""
    comment = feedback.add_comment(undoable.service, session_id, text, clip_id=clip_id,
                                   recording_id=recording_id, frame=frame, principle=principle,
                                   rates_guider=rates_guider)
    undoable.push(AddComment(undoable, comment))
    return comment
