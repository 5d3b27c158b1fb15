"""Fixtures for the store tests: real libraries in tmp_path, real videos encoded with PyAV."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from vigstudio.domain import model
from vigstudio.store import Library

MARKER = "ZEBRA-7731-private-note"


@pytest.fixture
def library(tmp_path, passphrase):
    lib = Library.create(tmp_path / "lib", passphrase)
    yield lib
    lib.close()


def make_video(path: Path, frames: int = 24, size: tuple[int, int] = (64, 48)) -> Path:
    """A small H.264 MP4 of seeded noise (so its bytes do not repeat), different in every frame."""
    rng = np.random.default_rng(7)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(24))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for _ in range(frames):
            img = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")))
        out.mux(stream.encode(None))
    return path


def add_family(repos, code: str = "F-014", notes: str = MARKER) -> dict[str, object]:
    """A case with an intervention, a cycle and a filming session; returns them by name."""
    case = repos.cases.add(model.Case(code, name="Family name", referral=model.ReferralSource.HEALTH_VISITOR))
    intervention = repos.interventions.add(model.Intervention(case.id))
    cycle = repos.cycles.add(model.Cycle(intervention.id, 1, helping_question="How do we play?"))
    session = repos.sessions.add(model.Session(cycle.id, date=dt.date(2026, 3, 4), notes=notes))
    return {"case": case, "intervention": intervention, "cycle": cycle, "session": session}


def add_recording(repos, session_id: int, container: str = "0" * 32 + ".vigm", key_hex: str = "ab" * 32):
    rec = model.Recording(session_id, "baby.mp4", container, "cd" * 32, frame_count=24, fps=24.0,
                          duration=1.0, width=64, height=48)
    return repos.recordings.add(rec, container_key=key_hex)
