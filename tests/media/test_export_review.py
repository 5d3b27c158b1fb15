"""A whole review as one MP4, and face blurring (whose detector depends on the installed OpenCV)."""

from __future__ import annotations

from fractions import Fraction

import av
import cv2
import numpy as np
import pytest

from tests.media.export_checks import decode_export
from tests.videos import make_video
from vigstudio.domain.errors import Cancelled, InvalidInput
from vigstudio.media.export import ReviewClip, ReviewStill, export_clip, export_review
from vigstudio.media.export_overlays import FaceDetector, FaceDetectorMissing, face_detection_available


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review_sources")
    return {
        "tone": make_video(folder / "tone.mp4", frames=50, audio="aac"),
        "small": make_video(folder / "small.mp4", frames=40, size=(160, 120), audio="aac", audio_rate=44100,
                            audio_channels=2),
        "silent": make_video(folder / "silent.mkv", frames=20, size=(160, 120)),
    }


def test_review_joins_cards_clips_and_stills_in_order(tmp_path, sources):
    items = [
        ReviewClip(sources["tone"], 10, 20, title="Waiting for his turn"),
        ReviewStill(sources["tone"], 30, caption="Smiling together", seconds=1.0),
        ReviewClip(sources["small"], 5, 15, speed=0.5, title="Slowly: she follows his lead"),
        ReviewClip(sources["silent"], 0, 5),
    ]
    result = export_review(items, tmp_path / "review.mp4", title_seconds=1.0, fps=25)
    got = decode_export(result.path, strict=False)
    expected = [None] * 25 + list(range(10, 20)) + [30] * 25 + [None] * 25 + list(range(5, 15)) + list(range(5))
    assert got.numbers == expected
    assert result.frame_count == len(expected)
    assert (got.width, got.height) == (320, 240) and got.codec == "h264" and got.pix_fmt == "yuv420p"
    seconds = 1.0 + 0.4 + 1.0 + 1.0 + 0.8 + 0.2
    assert result.duration == pytest.approx(seconds, abs=1e-3)
    assert got.video_seconds == pytest.approx(seconds, abs=1e-3)
    assert got.audio_seconds == pytest.approx(seconds, abs=0.04)
    assert [p.name for p in tmp_path.iterdir()] == ["review.mp4"]


def test_review_audio_is_silent_under_cards_and_stills(tmp_path, sources):
    items = [ReviewStill(sources["tone"], 3, seconds=0.8, title="Card"), ReviewClip(sources["tone"], 0, 25)]
    result = export_review(items, tmp_path / "review.mp4", title_seconds=0.8)
    with av.open(str(result.path)) as container:
        audio = container.streams.audio[0]
        pcm = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio)])
    rate = 48000
    assert np.abs(pcm[int(0.1 * rate):int(1.5 * rate)]).max() < 0.01  # card + still
    assert np.sqrt(np.mean(pcm[int(1.7 * rate):int(2.5 * rate)] ** 2)) > 0.05  # the clip's tone


def test_review_refuses_bad_items_and_cancel_leaves_nothing(tmp_path, sources):
    with pytest.raises(InvalidInput):
        export_review([], tmp_path / "r.mp4")
    with pytest.raises(InvalidInput):
        export_review([ReviewStill(sources["tone"], 99)], tmp_path / "r.mp4")
    with pytest.raises(InvalidInput):
        export_review([ReviewClip(sources["tone"], 5, 60)], tmp_path / "r.mp4")

    def cancel(fraction, label):
        if fraction > 0.5:
            raise Cancelled("export")

    with pytest.raises(Cancelled):
        export_review([ReviewClip(sources["tone"], 0, 50, title="t")], tmp_path / "r.mp4", progress=cancel)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- faces

def crude_face(width=320, height=240) -> np.ndarray:
    """A drawn face that OpenCV's frontal-face cascade recognises (skin oval, dark eyes, brows, mouth)."""
    img = np.full((height, width, 3), 90, np.uint8)
    cx, cy, r = width // 2, height // 2, 50
    cv2.ellipse(img, (cx, cy), (r, int(r * 1.3)), 0, 0, 360, (215, 185, 165), -1)
    for side in (-1, 1):
        ex = cx + side * int(r * 0.42)
        cv2.ellipse(img, (ex, cy - int(r * 0.25)), (int(r * 0.2), int(r * 0.1)), 0, 0, 360, (30, 25, 25), -1)
        cv2.ellipse(img, (ex, cy - int(r * 0.45)), (int(r * 0.25), int(r * 0.06)), 0, 0, 360, (70, 50, 40), -1)
    cv2.ellipse(img, (cx, cy + int(r * 0.55)), (int(r * 0.35), int(r * 0.1)), 0, 0, 360, (110, 50, 50), -1)
    cv2.ellipse(img, (cx, cy + int(r * 0.2)), (int(r * 0.1), int(r * 0.06)), 0, 0, 360, (150, 110, 95), -1)
    return cv2.GaussianBlur(img, (5, 5), 0)


def face_video(path, frames=12):
    out = av.open(str(path), "w")
    stream = out.add_stream("libx264", rate=25)
    stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
    face = crude_face()
    for n in range(frames):
        frame = av.VideoFrame.from_ndarray(face, format="rgb24")
        frame.pts, frame.time_base = n, Fraction(1, 25)
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
    out.close()
    return path


@pytest.mark.skipif(not face_detection_available(), reason="this OpenCV ships no face cascade (OpenCV 5)")
def test_faces_are_found_and_blurred(tmp_path):
    boxes = FaceDetector().detect(crude_face())
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 < 120 and x1 > 200 and y0 < 70 and y1 > 170  # covers the whole drawn face
    source = face_video(tmp_path / "face.mp4")
    plain = decode_export(export_clip(source, 0, 12, tmp_path / "a.mp4", smart_cut=False).path, True,
                          strict=False)
    blurred = decode_export(export_clip(source, 0, 12, tmp_path / "b.mp4", blur_faces=True).path, True,
                            strict=False)
    assert len(blurred.pictures) == 12
    for a, b in zip(plain.pictures, blurred.pictures, strict=True):
        eyes = np.abs(a[100:125, 120:200].astype(int) - b[100:125, 120:200].astype(int)).mean()
        corner = np.abs(a[:20, :20].astype(int) - b[:20, :20].astype(int)).mean()
        assert eyes > 20 and corner < 3


@pytest.mark.skipif(face_detection_available(), reason="face detection is available here")
def test_face_blur_without_a_detector_is_a_clear_error(tmp_path):
    source = face_video(tmp_path / "face.mp4")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(FaceDetectorMissing, match="face blurring is not available"):
        export_clip(source, 0, 12, out / "clip.mp4", blur_faces=True)
    assert list(out.iterdir()) == []
