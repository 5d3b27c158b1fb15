"""A demo library made on the spot, so a new user can try everything at once.

It holds one clearly marked demo case (`DEMO-001`, `is_demo=True`, no name, no real family) with a
generated sample recording and everything a practitioner would have made of it, so that F5 runs a
real shared review at once: a helping question, three titled clips tagged with principles (who did
it, and the practitioner's prompts), stills with captions for the family, a marker, comments from a
(demo) supervisor, and the consents that let the keepsake, exports and bundles be tried. The case
is a combined one: the VIG intervention holds the filming session and a Watch, Wait and Wonder
intervention runs beside it (its first session's notes only).

The video is made in memory (`BytesIO`) and imported from there like any other recording, so no
plaintext copy of it ever touches the disk either. `progress` may raise `Cancelled`; then
`open_or_make_demo` removes the half-made demo folder.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import platformdirs

from vigstudio.app import consent, editing, feedback
from vigstudio.app.cases import add_case, list_cases
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import (
    WWW_PLANNED_SESSIONS,
    ConsentScope,
    Intervention,
    InterventionKind,
    Recording,
    ReferralSource,
    Session,
    SessionKind,
    Who,
)
from vigstudio.media.sample import make_sample_video
from vigstudio.store.keys import KdfParams

DEMO_CASE_CODE = "DEMO-001"
DEMO_FILE_NAME = "demo-sample.mp4"
DEMO_NOTES = "Demo session: a generated sample recording, no real family. Try trimming a clip."
DEMO_SECONDS = 12.0  # three exchanges of the sample scene; small enough to make in a few seconds
# The demo holds no family data, so the GUI may offer this well-known passphrase for it; a real
# library must never use it (the service refuses nothing here: it is just a suggestion).
DEMO_PASSPHRASE = "demo library - no real families"
# Argon2id at OWASP's floor (19 MiB, 2 passes) rather than calibrated to half a second: the demo's
# passphrase is printed on its own lock screen, so a slow key derivation would protect nothing and
# only make the demo, and every unlock of it, slower.
DEMO_KDF = KdfParams(time_cost=2, memory_cost=19 * 1024, parallelism=1)
DEMO_SUPERVISOR = "Demo supervisor"
HELPING_QUESTION = "How can I help Sam feel safe to explore, and know I am there?"
WWW_QUESTION = "What is Sam telling me when he looks away?"
WWW_NOTES = "Watch, Wait and Wonder (demo): Sam leads the play for twenty minutes; we talk about what he did."

# (seconds in, seconds out, title, principle tags [(code, behaviour, who, prompt)], still second, caption)
# The sample scene's figures turn towards each other every 8 seconds, most at 4 s and 12 s.
DEMO_MOMENTS = (
    (2.6, 5.0, "Turning towards each other",
     [("P1", "P1.3", Who.PARENT, "What did you notice Sam do when you turned to him?")],
     4.0, "You turned to Sam, and he looked right at you"),
    (5.4, 7.4, "Waiting for Sam",
     [("P2", "P2.1", Who.PARENT, "What happened while you waited?"), ("P4", "P4.3", Who.CHILD, "")],
     6.4, "You waited — and Sam had his turn"),
    (9.0, 11.6, "A shared smile",
     [("P3", "P3.3", Who.PARENT, "How do you think Sam felt just then?")],
     11.0, "The two of you, smiling together"),
)
SUPERVISOR_COMMENTS = (
    (0, "Lovely choice of moment: the turn is very clear at the end.", "P1"),
    (1, "Perhaps start the clip a second later, so the waiting stands out.", "P2"),
)


def default_demo_path() -> Path:
    return Path(platformdirs.user_data_dir("vigstudio", appauthor=False)) / "Demo library"


def is_complete(service: LibraryService) -> bool:
    """The open library holds the finished demo case (a demo cut short, or made by an older version
    before the demo had its review, does not)."""
    for node in library_tree(service):
        if node.case.is_demo and node.case.code == DEMO_CASE_CODE:
            return any(s.clips for _, _, s in node.sessions())
    return False


def open_or_make_demo(progress: Progress | ProgressCallback | None = None, base: Path | None = None) -> LibraryService:
    """Reopen the demo made earlier on this computer, or make it now; the open service is returned.

    A folder that does not open with the demo passphrase, or holds cases that are not demo cases,
    is left alone (it might be someone's real library) and a new demo is made beside it. An
    unfinished demo (cut short, or from an older version) is removed and made again. If making it
    is cancelled (`Cancelled` from `progress`) or fails, the half-made folder is removed.
    """
    base = base or default_demo_path()
    path, number = base, 2
    while path.exists() and any(path.iterdir()):
        service = LibraryService()
        try:
            service.open(path, DEMO_PASSPHRASE)
        except VigError:
            path, number = base.with_name(f"{base.name} {number}"), number + 1
            continue
        if is_complete(service):
            return service
        only_demo = all(case.is_demo for case in list_cases(service))
        service.close()
        if not only_demo:
            path, number = base.with_name(f"{base.name} {number}"), number + 1
            continue
        shutil.rmtree(path)
    service = LibraryService()
    try:
        create_demo_library(service, path, progress=progress)
    except BaseException:
        service.close()
        shutil.rmtree(path, ignore_errors=True)
        raise
    return service


def create_demo_library(service: LibraryService, path: Path | str, passphrase: str = DEMO_PASSPHRASE, *,
                        seconds: float = DEMO_SECONDS,
                        progress: Progress | ProgressCallback | None = None) -> Recording:
    """Create a new library at `path` (left open in `service`) holding the demo case; return its recording."""
    progress = as_progress(progress, "making the demo library")
    progress(0.0, "making the demo library")
    # (a passphrase of the user's own, from `vigstudio init --demo`, gets the calibrated derivation)
    service.create(path, passphrase, kdf=DEMO_KDF if passphrase == DEMO_PASSPHRASE else None)
    return add_demo_case(service, seconds=seconds, progress=progress.part(0.1, 1.0))


def add_demo_case(service: LibraryService, *, seconds: float = DEMO_SECONDS,
                  progress: Progress | ProgressCallback | None = None) -> Recording:
    """Add the demo case with a freshly generated sample recording, and its review, to the open library."""
    progress = as_progress(progress, "making the demo library")
    add_case(service, DEMO_CASE_CODE, referral=ReferralSource.OTHER, is_demo=True)
    video = io.BytesIO()
    make_sample_video(video, seconds=seconds, progress=progress.part(0.0, 0.45), preset="ultrafast")
    video.seek(0)
    recording = import_recording(service, DEMO_CASE_CODE, video, progress=progress.part(0.45, 0.95),
                                 file_name=DEMO_FILE_NAME)
    progress(0.95, "adding clips, stills and comments")
    add_demo_review(service, recording)
    progress(1.0, "the demo library is ready")
    return recording


def add_demo_review(service: LibraryService, recording: Recording) -> None:
    """What a practitioner would have made of the recording, and a supervisor's comments on it."""
    session_id = recording.session_id
    editing.set_session_notes(service, session_id, DEMO_NOTES)
    cycle = editing.cycle_of_session(service, session_id)
    if cycle is not None:  # the demo's filming session is a VIG session: it has its cycle
        editing.set_helping_question(service, cycle.saved_id, HELPING_QUESTION)
    last = recording.frame_count - 1
    scale = recording.frame_count / recording.fps / DEMO_SECONDS if recording.fps else 0.0  # (a shorter demo)

    def frame(second: float) -> int:
        return min(last, max(0, round(second * scale * recording.fps)))

    clips = []
    for start, end, title, tags, still_at, caption in DEMO_MOMENTS:
        clip = editing.add_clip(service, recording.saved_id, frame(start), frame(end), title)
        clips.append(clip)
        for principle, behaviour, who, prompt in tags:
            editing.tag_clip(service, clip.saved_id, principle, behaviour, who, prompt)
        editing.add_still(service, recording.saved_id, min(frame(still_at), clip.end_frame - 1), caption)
    editing.add_marker(service, recording.saved_id, frame(1.0), "Sam reaches out — another moment to look at")
    for clip_index, text, principle in SUPERVISOR_COMMENTS:
        clip = clips[clip_index]
        feedback.add_comment(service, session_id, text, clip_id=clip.id, frame=clip.end_frame - 1,
                             principle=principle, author=DEMO_SUPERVISOR)
    feedback.add_comment(service, session_id, "A warm session to share: keep the review short and let the "
                         "stills do the talking.", author=DEMO_SUPERVISOR)
    add_www_intervention(service, DEMO_CASE_CODE)
    # The (made-up) family agreed to what the demo lets you try: the keepsake, export, supervision.
    consent.add(service, DEMO_CASE_CODE, [ConsentScope.STORAGE, ConsentScope.SUPERVISION, ConsentScope.KEEPSAKE],
                recorded_by="demo")


def add_www_intervention(service: LibraryService, case_code: str) -> Session:
    """The demo case's Watch, Wait and Wonder course beside its VIG intervention: 15 sessions planned,
    the first one held (a WWW session sits in no cycle; the course's question goes in its notes)."""
    with service.edit() as repos:
        case = repos.cases.by_code(case_code)
        intervention = repos.interventions.add(Intervention(
            case_id=case.saved_id, kind=InterventionKind.WWW, planned_sessions=WWW_PLANNED_SESSIONS,
            started_on=dt.date.today()))
        session = repos.sessions.add(Session(intervention_id=intervention.saved_id, kind=SessionKind.WWW,
                                             notes=f"{WWW_NOTES}\n{WWW_QUESTION}", attendees=("mother",)))
    service.emit(Change(ChangeKind.SESSION, ChangeAction.ADDED, (session.saved_id,), case.saved_id,
                        session.saved_id))
    return session
