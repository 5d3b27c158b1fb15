"""Exports straight into a file object (io.BytesIO): the same frames and sound as to a path, nothing
on any filesystem, and nothing left in the object after a cancel or failure."""

from __future__ import annotations

import io
import threading

import av
import cv2
import numpy as np
import pytest

from tests.media.export_checks import RawReader
from tests.videos import make_video, read_frame_number
from vigstudio.domain.errors import Cancelled, InvalidInput
from vigstudio.media.export import (
    ExportError,
    ReviewClip,
    ReviewStill,
    export_clip,
    export_review,
    export_still,
)


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory):
    """Long GOPs with B-frames and AAC: a clip of it has whole GOPs to copy."""
    folder = tmp_path_factory.mktemp("fileobj_sources")
    return make_video(folder / "longgop.mp4", frames=200, gop=50, bframes=3, size=(160, 120), audio="aac")


def decode_bytes(data: bytes) -> tuple[list[int], float, float]:
    """(frame numbers, video seconds, audio seconds) of an MP4 held in memory, read with plain PyAV."""
    with av.open(io.BytesIO(data)) as container:
        numbers = [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    with av.open(io.BytesIO(data)) as container:
        video = container.streams.video[0]
        packets = [(p.pts, p.duration or 0) for p in container.demux(video) if p.size]
        video_seconds = float((max(p + d for p, d in packets) - min(p for p, _ in packets)) * video.time_base)
    with av.open(io.BytesIO(data)) as container:
        if not container.streams.audio:
            return numbers, video_seconds, 0.0
        rate = container.streams.audio[0].codec_context.sample_rate
        samples = sum(f.samples for f in container.decode(audio=0))
    return numbers, video_seconds, samples / rate


@pytest.mark.parametrize("smart", [True, False])
def test_clip_into_bytesio_matches_the_path_export(tmp_path, long_gop, smart):
    to_path = export_clip(long_gop, 7, 180, tmp_path / "clip.mp4", smart_cut=smart)
    buffer = io.BytesIO()
    # the source a file object too, as in the library (the decrypting container reader)
    in_memory = export_clip(RawReader(long_gop.read_bytes()), 7, 180, buffer, smart_cut=smart)

    assert in_memory.path is None
    assert in_memory.method == to_path.method == ("smartcut" if smart else "reencode")
    assert (in_memory.frame_count, in_memory.copied_gops) == (to_path.frame_count, to_path.copied_gops)
    if smart:
        assert in_memory.copied_gops >= 2
    data = buffer.getvalue()
    assert buffer.tell() == len(data)  # left just after the export
    numbers, video_seconds, audio_seconds = decode_bytes(data)
    path_numbers, path_video, path_audio = decode_bytes(to_path.path.read_bytes())
    assert numbers == path_numbers == list(range(7, 180))
    assert video_seconds == pytest.approx(path_video, abs=1e-3)
    assert audio_seconds == pytest.approx(path_audio, abs=1e-3)
    assert audio_seconds == pytest.approx(video_seconds, abs=0.04)
    assert in_memory.audio_duration == pytest.approx(to_path.audio_duration, abs=1e-3)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]  # nothing written beside it


def test_export_goes_after_what_the_object_already_holds(long_gop):
    buffer = io.BytesIO(b"earlier bytes")
    buffer.seek(0, io.SEEK_END)
    export_clip(long_gop, 60, 75, buffer, smart_cut=False)
    data = buffer.getvalue()
    assert data.startswith(b"earlier bytes")
    assert decode_bytes(data[len(b"earlier bytes"):])[0] == list(range(60, 75))


@pytest.mark.parametrize("smart", [True, False])
def test_cancel_leaves_the_object_as_it_was(tmp_path, long_gop, smart):
    seen = []

    def progress(fraction, label):
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled("export")

    empty, holding = io.BytesIO(), io.BytesIO(b"keep me")
    holding.seek(0, io.SEEK_END)
    for buffer in (empty, holding):
        with pytest.raises(Cancelled):
            export_clip(long_gop, 7, 180, buffer, smart_cut=smart, progress=progress)
    assert seen
    assert empty.getvalue() == b"" and empty.tell() == 0
    assert holding.getvalue() == b"keep me"
    assert not [t for t in threading.enumerate() if t.name == "export-decode"]
    assert list(tmp_path.iterdir()) == []


class FailingBuffer(io.BytesIO):
    """Refuses writes beyond `limit` bytes, like a full device would."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.tell() + len(data) > self.limit:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_write_failure_raises_an_export_error_and_leaves_the_object_empty(long_gop):
    buffer = FailingBuffer(20_000)
    with pytest.raises(ExportError, match="file object"):
        export_clip(long_gop, 0, 200, buffer, smart_cut=False)
    assert buffer.getvalue() == b""


@pytest.mark.parametrize("frame", [0, 123, 199])
def test_still_into_bytesio_is_a_png_of_the_right_frame(long_gop, frame):
    buffer = io.BytesIO()
    result = export_still(RawReader(long_gop.read_bytes()), frame, buffer)
    data = buffer.getvalue()
    assert result.path is None and result.method == "png"
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    picture = cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert picture.shape == (120, 160, 3)
    assert read_frame_number(picture) == frame


def test_review_into_bytesio(long_gop):
    buffer = io.BytesIO()
    items = [ReviewClip(long_gop, 10, 20), ReviewStill(long_gop, 30, seconds=0.4)]
    result = export_review(items, buffer, fps=25)
    assert result.path is None
    numbers, video_seconds, audio_seconds = decode_bytes(buffer.getvalue())
    assert numbers == list(range(10, 20)) + [30] * 10
    assert audio_seconds == pytest.approx(video_seconds, abs=0.04)


def test_unusable_outputs_are_refused_before_anything_is_read(tmp_path, long_gop):
    with pytest.raises(InvalidInput, match="writable, seekable binary file object"):
        export_clip(long_gop, 0, 10, io.StringIO())
    (tmp_path / "ro.bin").write_bytes(b"")
    with open(tmp_path / "ro.bin", "rb") as read_only, \
            pytest.raises(InvalidInput, match="writable, seekable binary file object"):
        export_still(long_gop, 0, read_only)
    assert (tmp_path / "ro.bin").read_bytes() == b""
