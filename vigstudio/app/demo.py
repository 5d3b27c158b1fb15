"""A demo library made on the spot, so a new user can try everything at once.

It holds one clearly marked demo case (`DEMO-001`, `is_demo=True`, no name, no real family) with one
generated sample recording. The video is made in memory (`BytesIO`) and imported from there like any
other recording, so no plaintext copy of it ever touches the disk either.
"""

from __future__ import annotations

import io
from pathlib import Path

import platformdirs

from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.domain.model import Recording, ReferralSource
from vigstudio.media.sample import make_sample_video

DEMO_CASE_CODE = "DEMO-001"
DEMO_FILE_NAME = "demo-sample.mp4"
DEMO_NOTES = "Demo session: a generated sample recording, no real family. Try trimming a clip."
# The demo holds no family data, so the GUI may offer this well-known passphrase for it; a real
# library must never use it (the service refuses nothing here: it is just a suggestion).
DEMO_PASSPHRASE = "demo library - no real families"


def default_demo_path() -> Path:
    return Path(platformdirs.user_data_dir("vigstudio", appauthor=False)) / "Demo library"


def create_demo_library(service: LibraryService, path: Path | str, passphrase: str = DEMO_PASSPHRASE, *,
                        seconds: float = 20.0,
                        progress: Progress | ProgressCallback | None = None) -> Recording:
    """Create a new library at `path` (left open in `service`) holding the demo case; return its recording."""
    progress = as_progress(progress, "making the demo library")
    service.create(path, passphrase)
    return add_demo_case(service, seconds=seconds, progress=progress)


def add_demo_case(service: LibraryService, *, seconds: float = 20.0,
                  progress: Progress | ProgressCallback | None = None) -> Recording:
    """Add the demo case with a freshly generated sample recording to the open library."""
    progress = as_progress(progress, "making the demo library")
    service.add_case(DEMO_CASE_CODE, referral=ReferralSource.OTHER, is_demo=True)
    video = io.BytesIO()
    make_sample_video(video, seconds=seconds, progress=progress.part(0.0, 0.4))
    video.seek(0)
    recording = import_recording(service, DEMO_CASE_CODE, video, progress=progress.part(0.4, 1.0),
                                 file_name=DEMO_FILE_NAME)
    service.update_session_notes(recording.session_id, DEMO_NOTES)
    return recording
