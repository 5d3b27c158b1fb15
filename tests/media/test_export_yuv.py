"""Exports without RGB: decoded YUV goes to the encoder as it is (copied, turned or reformatted).

Checked against plain PyAV decoding of source and export: the right frames (numbers drawn in the
picture), the same picture and the same colour description as the source.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from tests.media.export_checks import decode_export
from tests.videos import make_kind, make_video
from vigstudio.media import open_media
from vigstudio.media.export import export_clip
from vigstudio.media.export_encode import SourceViews
from vigstudio.media.export_frames import FrameShaper, decoded_frames, rotate_yuv420p
from vigstudio.media.export_overlays import Overlays, square_pixel_size

BT709 = {"x264-params": "colormatrix=bt709:colorprim=bt709:transfer=bt709"}


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("yuv_sources")
    made = {kind: make_kind(kind, folder)[0] for kind in ("rotated_mp4", "anamorphic_pal", "mjpeg_avi")}
    made["bt709"] = make_video(folder / "bt709.mp4", frames=150, gop=50, bframes=3, size=(320, 240),
                               audio="aac", options=BT709)
    made["odd_size"] = make_video(folder / "odd.mkv", frames=20, size=(161, 121), pix_fmt="yuv444p")
    return made


def source_pictures(path, fmt: str = "rgb24") -> list[np.ndarray]:
    """Every frame of the source as plain PyAV shows it (no rotation applied)."""
    with av.open(str(path)) as container:
        return [f.to_ndarray(format=fmt) for f in container.decode(container.streams.video[0])]


def first_mode(path, caption: str | None = None) -> str:
    views = SourceViews(path)
    with open_media(path) as media:
        info = media.info
        width, height = square_pixel_size(info.width, info.height, info.sample_aspect_ratio)
        shaper = FrameShaper(width, height, info.rotation, Overlays(width, height, caption=caption))
        _, frame = next(decoded_frames(views, media, 0, 1))
        return shaper.mode(frame)


@pytest.mark.parametrize("kind,mode", [("bt709", "copy"), ("rotated_mp4", "rotate"),
                                       ("anamorphic_pal", "reformat"), ("odd_size", "reformat"),
                                       ("mjpeg_avi", "reformat")])
def test_pictures_go_through_rgb_only_for_overlays(videos, kind, mode):
    assert first_mode(videos[kind]) == mode
    assert first_mode(videos[kind], caption="Hello") == "rgb"


def test_decoded_frames_are_the_media_engines_frames(videos):
    """Same frames, same pixels as MediaSource.iter_frames, from mid-GOP (B-frames skipped before)."""
    path = videos["bt709"]
    views = SourceViews(path)
    with open_media(path) as media:
        ours = [(i, f.to_ndarray(format="rgb24")) for i, f in decoded_frames(views, media, 57, 110)]
        engine = list(media.iter_frames(57, 110))
    assert [i for i, _ in ours] == list(range(57, 110))
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(ours, engine, strict=True))


@pytest.mark.parametrize("smart", [False, True])
def test_copied_yuv_keeps_frames_picture_and_colours(tmp_path, videos, smart):
    path = videos["bt709"]
    result = export_clip(path, 13, 140, tmp_path / "clip.mp4", smart_cut=smart)
    assert result.method == ("smartcut" if smart else "reencode")
    decoded = decode_export(result.path)
    assert decoded.numbers == list(range(13, 140))
    assert decoded.audio_seconds == pytest.approx(decoded.video_seconds, abs=0.04)
    source = source_pictures(path, "yuv420p")
    with av.open(str(result.path)) as container:
        frames = list(container.decode(container.streams.video[0]))
    # the source's BT.709 description on every frame: the re-encoded head and tail of a smart cut too
    assert {(f.colorspace, f.color_primaries, f.color_trc) for f in frames} == {(1, 1, 1)}
    for k, frame in enumerate(frames):
        luma = frame.to_ndarray()[:240].astype(np.int16)
        assert np.abs(luma - source[13 + k][:240]).mean() < 2.0, f"frame {13 + k}"


def test_rotated_source_is_turned_upright_in_yuv(tmp_path, videos):
    path = videos["rotated_mp4"]
    result = export_clip(path, 5, 30, tmp_path / "clip.mp4", smart_cut=False)
    decoded = decode_export(result.path, keep_pictures=True)
    assert decoded.numbers == list(range(5, 30))
    assert (decoded.width, decoded.height, decoded.rotation) == (120, 160, 0)
    with open_media(path) as media:
        for k, picture in enumerate(decoded.pictures):
            upright = media.frame(5 + k)
            assert np.abs(picture.astype(np.int16) - upright).mean() < 4.0


@pytest.mark.parametrize("kind", ["anamorphic_pal", "odd_size", "mjpeg_avi"])
def test_reformatted_sources_keep_frames_and_brightness(tmp_path, videos, kind):
    """Scaled (non-square pixels, odd size) or re-sampled (4:4:4, full-range MJPEG) by swscale."""
    path = videos[kind]
    with open_media(path) as media:
        count = media.info.frame_count
        expected = [media.frame(i) for i in range(count)]
    result = export_clip(path, 0, count, tmp_path / "clip.mp4", smart_cut=False)
    decoded = decode_export(result.path, keep_pictures=True)
    assert decoded.numbers == list(range(count))
    assert decoded.pix_fmt == "yuv420p" and decoded.sar in (None, Fraction(1), Fraction(0))
    for k, picture in enumerate(decoded.pictures):
        source = expected[k]
        if source.shape != picture.shape:
            import cv2
            source = cv2.resize(source, (picture.shape[1], picture.shape[0]), interpolation=cv2.INTER_LINEAR)
        # a full-range picture squeezed wrongly (or not at all) would shift the mean by ~10 levels
        assert abs(float(picture.mean()) - float(source.mean())) < 3.0, f"frame {k}"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotate_yuv420p_turns_the_picture_clockwise(rotation):
    rgb = np.zeros((64, 96, 3), np.uint8)
    rgb[:16, :24] = (250, 40, 40)  # a red block in the top left corner
    rgb[40:, 60:] = (40, 40, 250)
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    turned = rotate_yuv420p(frame, rotation).to_ndarray(format="rgb24").astype(np.int16)
    expected = np.rot90(rgb, k=-rotation // 90).astype(np.int16)  # clockwise
    assert turned.shape == expected.shape
    assert np.abs(turned - expected).mean() < 6.0

