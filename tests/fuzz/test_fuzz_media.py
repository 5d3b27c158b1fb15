"""Fuzzing media: small PyAV-made recordings (MP4 with audio, Matroska) with flipped, cut and inserted
bytes, opened with `open_media` from memory. Each either opens or raises `MediaError`; nothing else
escapes (and nothing hangs: open_media answers within its own time limit)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FUZZ
from tests.videos import make_video
from vigstudio.media import open_media
from vigstudio.media.errors import MediaError


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-media")
    mp4 = make_video(folder / "a.mp4", frames=12, size=(64, 48), gop=4, audio="aac").read_bytes()
    mkv = make_video(folder / "b.mkv", frames=12, size=(64, 48), gop=4).read_bytes()
    return {"mp4": mp4, "mkv": mkv}


@FUZZ
@given(kind=st.sampled_from(["mp4", "mkv"]),
       flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=8),
       cut=st.one_of(st.none(), st.integers(min_value=0)), insert=st.binary(max_size=300),
       near_start=st.booleans())
def test_fuzz_media(recordings, kind, flips, cut, insert, near_start):
    data = bytearray(recordings[kind])
    span = min(len(data), 2048) if near_start else len(data)  # headers live near the start: hit them often
    for position, mask in flips:
        data[position % span] ^= mask
    if insert:
        at = (flips[0][0] if flips else 0) % span
        data[at:at] = insert
    if cut is not None:
        del data[cut % len(data):]
    try:
        media = open_media(io.BytesIO(bytes(data)))
    except MediaError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert media.info.frame_count >= 0
        media.close()
