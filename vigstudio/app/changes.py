"""What changed after a committed edit, so views refresh from one source (like Anki's OpChanges).

The service emits a `Change` after each edit has been committed; a GUI model subscribes and reloads
only what the change names. Changes carry kinds and ids only, never names or notes: `ids` are the
changed objects' ids (for a tag, a marker, a comment or a reflection, followed by the clip's,
recording's or session's id it hangs on), `case_id` and `session_id` where the objects belong, so a
view of one session or one case can ignore every change made elsewhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class ChangeKind(StrEnum):
    LIBRARY = "library"  # opened, closed, passphrase changed: reload everything or lock
    CASE = "case"
    INTERVENTION = "intervention"
    CYCLE = "cycle"
    SESSION = "session"
    RECORDING = "recording"
    CLIP = "clip"
    STILL = "still"
    ANNOTATION = "annotation"  # a principle tag on a clip
    MARKER = "marker"  # a "look again here" marker on a recording
    COMMENT = "comment"  # a supervisor's comment on a session, clip or frame
    REFLECTION = "reflection"  # what a parent said during the shared review
    CONSENT = "consent"  # a case's consent recorded or withdrawn
    CONTACT = "contact"  # a colleague's public key added or removed (library-wide: no case)
    SETTINGS = "settings"  # library-level settings: review PIN, retention, identity (no case)
    OBSERVATION = "observation"  # a WWW observation on a recording
    WONDER_NOTE = "wonder_note"  # a note of a WWW session's Wonder half
    MEASURE = "measure"  # an outcome questionnaire, its risk flag or a rated goal
    PATHWAY = "pathway"  # a referral, its decision or a step of the case's pathway
    ACTIVITY = "activity"  # the service's own work: consultations, training, liaison (no case)
    TRAINING = "training"  # the practitioner's own training record: stages, supervisions (no case)
    SELF_ASSESSMENT = "self_assessment"  # the practitioner's tags on their own shared review
    CODER_TAG = "coder_tag"  # a named second coder's principle tag on a clip


class ChangeAction(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    DELETED = "deleted"
    OPENED = "opened"
    CLOSED = "closed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    action: ChangeAction
    ids: tuple[int, ...] = ()
    case_id: int | None = None  # the case the changed objects belong to, when there is one
    session_id: int | None = None  # the session they belong to, when there is one

    def touches(self, kind: ChangeKind) -> bool:
        return self.kind == kind or self.kind == ChangeKind.LIBRARY


ChangeCallback = Callable[[Change], None]


class ChangeNotifier:
    """A small observer list. Callbacks run on the thread that committed the edit; a Qt model
    re-emits them as a queued signal to reach the GUI thread."""

    def __init__(self) -> None:
        self._callbacks: list[ChangeCallback] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: ChangeCallback) -> Callable[[], None]:
        """Register `callback`; returns a function that unsubscribes it."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def emit(self, change: Change) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            # The edit is already committed: a failing view must not turn it into an error.
            try:
                callback(change)
            except Exception:
                log.exception("change subscriber failed for %s %s", change.kind, change.action)
