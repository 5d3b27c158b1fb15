"""Exports: a clip to MP4, a still to PNG, a whole shared review to one MP4.

An export is the one moment a family's pictures leave the encrypted library, so every export:
- reads the recording through the library's decrypting container reader (never a plaintext copy);
- writes atomically (the media layer writes `.name.partial` in the target folder, then renames; a
  cancelled or failed export leaves nothing behind);
- is recorded in the audit log (ids, case code, options; never the file name, which may name the
  family), in a transaction after the file is complete. If that record cannot be written, the
  exported file is removed again: no export without its audit entry.

The consent rule is the one table in `app.consent` (`NEEDED`), checked before anything is written:
- an export *for training* (`for_training=True`) needs an active "training" consent for the case and
  always blurs faces (`blur_faces` is forced on);
- any other export (a plain clip, still or whole review, i.e. a copy the family may keep) needs an
  active "keepsake" consent; a missing or withdrawn one refuses it (`ConsentMissing`,
  `ConsentWithdrawn`) with nothing written and nothing audited.
The GUI also warns plainly before writing (`LEAVES_LIBRARY`); `consent_note(...)` gives the sentence
the export dialog shows about consent.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app.consent import Use, check_use, require_for
from vigstudio.app.progress import as_progress
from vigstudio.app.review import open_recording_file, playlist
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.app.progress import Progress, ProgressCallback
    from vigstudio.media.export_encode import ExportResult
    from vigstudio.store.repositories import Repos

LEAVES_LIBRARY = ("This file will leave the encrypted library: anyone who gets hold of it can watch it. "
                  "Keep it on an encrypted drive, share it only as agreed with the family, and delete it "
                  "when it is no longer needed.")
SLOW_MOTION = 0.5  # the speed of a slow-motion export


@dataclass(frozen=True)
class ConsentNote:
    allowed: bool
    text: str


# -- consent ----------------------------------------------------------------------------------------


def consent_note(service: LibraryService, case_code: str, *, for_training: bool = False,
                 use: Use | None = None) -> ConsentNote:
    """Whether the case's consent allows this export (training, or else `use`, by default a plain
    export for the family), and the sentence saying so."""
    use = Use.TRAINING_EXPORT if for_training else (use or Use.PLAIN_EXPORT)
    check = check_use(service, case_code, use)
    training = use is Use.TRAINING_EXPORT
    if check.withdrawn_on is not None:
        return ConsentNote(False, f"Case {case_code} withdrew its consent to "
                                  f"{'training use' if training else 'the family keeping copies'} on "
                                  f"{check.withdrawn_on.isoformat()}: this cannot be exported.")
    if not check.allowed:
        if training:
            return ConsentNote(False, f"Case {case_code} has no consent for training use recorded: record "
                                      "it first, or export for the family instead.")
        return ConsentNote(False, f"Case {case_code} has no consent for the family to keep copies "
                                  "(keepsake) recorded: record it first (Sharing → Consent…).")
    if training:
        return ConsentNote(True, f"Case {case_code} consented to training use. Faces will be blurred.")
    return ConsentNote(True, f"Case {case_code} consented to the family keeping copies; the export is "
                             "recorded in the audit log.")


def require_export_consent(service: LibraryService, case_code: str, *, for_training: bool = False) -> None:
    """The gate every export here calls before it reads or writes anything."""
    require_for(service, case_code, Use.TRAINING_EXPORT if for_training else Use.PLAIN_EXPORT)


# -- exports ----------------------------------------------------------------------------------------


def export_clip(service: LibraryService, clip_id: int, out_path: Path | str, *, speed: float = 1.0,
                caption: bool = False, blur_faces: bool = False, for_training: bool = False,
                progress: Progress | ProgressCallback | None = None) -> ExportResult:
    """The clip's frames [start, end) as MP4 (frame-exact; smart cut when no option needs re-encoding).
    `caption` burns in the clip's title; `for_training` needs training consent and blurs faces."""
    from vigstudio.media.export import export_clip as media_export_clip

    with service.read() as repos:
        clip = repos.clips.get(clip_id)
        recording = repos.recordings.get(clip.recording_id)
        case = repos.sessions.case_of(recording.session_id)
        index = repos.assets.get(recording.saved_id, "index")
    if caption and not clip.title.strip():
        raise InvalidInput(f"clip {clip_id} has no title to burn in as a caption")
    require_export_consent(service, case.code, for_training=for_training)
    if for_training:
        blur_faces = True
    progress = as_progress(progress, "export")
    with contextlib.closing(open_recording_file(service, recording.saved_id)) as reader:
        result = media_export_clip(reader, clip.start_frame, clip.end_frame, out_path, speed=speed,
                                   caption=clip.title.strip() if caption else None, blur_faces=blur_faces,
                                   progress=progress, index=index)
    options = _options(speed=speed, caption=caption, blur_faces=blur_faces, for_training=for_training)
    _audit(service, result.path, f"clip {clip_id} recording {recording.id} case {case.code} "
                                 f"{result.method}{options}")
    return result


def export_still(service: LibraryService, still_id: int, out_path: Path | str, *,
                 caption: bool = False) -> ExportResult:
    """The still's exact frame as PNG, optionally with its caption burned in."""
    from vigstudio.media.export import export_still as media_export_still

    with service.read() as repos:
        still = repos.stills.get(still_id)
        recording = repos.recordings.get(still.recording_id)
        case = repos.sessions.case_of(recording.session_id)
        index = repos.assets.get(recording.saved_id, "index")
    if caption and not still.caption.strip():
        raise InvalidInput(f"still {still_id} has no caption to burn in")
    require_export_consent(service, case.code)
    with contextlib.closing(open_recording_file(service, recording.saved_id)) as reader:
        result = media_export_still(reader, still.frame, out_path,
                                    caption=still.caption.strip() if caption else None, index=index)
    _audit(service, result.path, f"still {still_id} recording {recording.id} case {case.code} png"
                                 f"{_options(caption=caption)}")
    return result


def export_review(service: LibraryService, session_id: int, out_path: Path | str,
                  progress: Progress | ProgressCallback | None = None) -> ExportResult:
    """The whole review (clips and stills in review order, titles on cards) as one MP4."""
    from vigstudio.media.export import ReviewClip, ReviewStill
    from vigstudio.media.export import export_review as media_export_review

    items = playlist(service, session_id)
    if not items:
        raise InvalidInput(f"session {session_id} has no clips or stills to export")
    with service.read() as repos:
        case = repos.sessions.case_of(session_id)
        indexes = {item.recording_id: repos.assets.get(item.recording_id, "index") for item in items}
    require_export_consent(service, case.code)
    progress = as_progress(progress, "export")
    with contextlib.ExitStack() as stack:
        parts: list[ReviewClip | ReviewStill] = []
        for item in items:
            # One reader per item: the media layer may read items from several threads.
            reader = stack.enter_context(contextlib.closing(open_recording_file(service, item.recording_id)))
            index = indexes[item.recording_id]
            if item.is_still:
                parts.append(ReviewStill(reader, item.frame, caption=item.caption.strip() or None, index=index))
            else:
                parts.append(ReviewClip(reader, item.start_frame, item.end_frame,
                                        title=item.title.strip() or None, index=index))
        result = media_export_review(parts, out_path, progress=progress)
    clips = sum(1 for i in items if not i.is_still)
    _audit(service, result.path, f"review session {session_id} case {case.code} "
                                 f"clips {clips} stills {len(items) - clips}")
    return result


# -- helpers ----------------------------------------------------------------------------------------


def _options(*, speed: float = 1.0, caption: bool = False, blur_faces: bool = False,
             for_training: bool = False) -> str:
    words = []
    if speed != 1.0:
        words.append(f"speed {speed:g}")
    if caption:
        words.append("caption")
    if blur_faces:
        words.append("faces blurred")
    if for_training:
        words.append("for training")
    return (" " + " ".join(words)) if words else ""


def _audit(service: LibraryService, written: Path | None, what: str) -> None:
    try:
        with service.edit() as repos:
            _append(repos, what)
    except BaseException:
        if written is not None:
            with contextlib.suppress(OSError):
                written.unlink()
        raise


def _append(repos: Repos, what: str) -> None:
    repos.audit.append(AuditEvent("export", what))
