"""Clip and still export: frame-exact, in sync, atomic. Every export is decoded back with plain PyAV."""

from __future__ import annotations

import io
import threading
from fractions import Fraction

import numpy as np
import pytest

from tests.media.export_checks import RawReader, decode_export, png_picture
from tests.videos import make_kind, make_video, read_frame_number
from vigstudio.domain.errors import Cancelled, InvalidInput, VigError
from vigstudio.media import open_media
from vigstudio.media.export import ExportError, export_clip, export_still
from vigstudio.media.export_overlays import UNICODE_TEXT, ascii_caption, drawable_text


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    made = {kind: make_kind(kind, folder) for kind in
            ("vfr_mp4", "rotated_mp4", "anamorphic_pal", "no_audio_mkv", "edit_list_mp4", "interlaced_ts")}
    made["plain"] = (make_video(folder / "plain.mp4", frames=60, audio="aac"), 0)
    # long GOP with B-frames (and audio), long enough for whole GOPs inside a clip
    made["long_gop"] = (make_video(folder / "longgop.mp4", frames=200, gop=50, bframes=3, size=(160, 120),
                                   audio="aac"), 0)
    made["vfr_long_gop"] = (make_video(folder / "vfrgop.mp4", frames=160, gop=40, bframes=2, size=(160, 120),
                                       vfr=True, audio="aac"), 0)
    made["odd_size"] = (make_video(folder / "odd.mkv", frames=20, size=(161, 121), pix_fmt="yuv444p",
                                   codec="libx264"), 0)
    made["open_gop"] = (make_video(folder / "opengop.mp4", frames=120, gop=30, bframes=3, size=(160, 120),
                                   options={"x264-params": "open-gop=1"}), 0)
    return made


def frame_period(path) -> float:
    with open_media(path) as media:
        return float(np.max(np.diff(media.frame_times)))


def assert_exact(decoded, first: int, count: int, period: float):
    assert decoded.numbers == list(range(first, first + count))
    assert decoded.codec == "h264" and decoded.pix_fmt == "yuv420p"
    assert decoded.width % 2 == 0 and decoded.height % 2 == 0
    if decoded.has_audio:
        assert decoded.audio_seconds == pytest.approx(decoded.video_seconds, abs=period)


@pytest.mark.parametrize("kind", ["plain", "vfr_mp4", "rotated_mp4", "anamorphic_pal", "no_audio_mkv",
                                  "edit_list_mp4", "interlaced_ts"])
def test_reencoded_clip_is_frame_exact_and_in_sync(tmp_path, videos, kind):
    path, first = videos[kind]
    result = export_clip(path, 3, 17, tmp_path / "clip.mp4", smart_cut=False)
    decoded = decode_export(result.path)
    assert_exact(decoded, first + 3, 14, frame_period(path))
    assert result.method == "reencode" and result.frame_count == 14
    with open_media(path) as media:
        span = media.frame_time(17) - media.frame_time(3)
        assert result.duration == pytest.approx(span, abs=1e-3)
        assert decoded.video_seconds == pytest.approx(span, abs=1e-3)
        assert decoded.has_audio == media.info.has_audio
        assert decoded.rotation == 0  # the picture itself is upright (numbers read), no rotation flag
        display_aspect = media.info.width * media.info.sample_aspect_ratio / media.info.height
    assert decoded.width / decoded.height == pytest.approx(float(display_aspect), rel=0.01)
    assert decoded.sar in (None, Fraction(1), Fraction(0))  # square pixels
    assert not list(tmp_path.glob(".*partial"))


def test_first_and_last_frames_of_the_recording(tmp_path, videos):
    path, _ = videos["plain"]
    assert decode_export(export_clip(path, 0, 1, tmp_path / "a.mp4").path).numbers == [0]
    assert decode_export(export_clip(path, 59, 60, tmp_path / "b.mp4").path).numbers == [59]
    assert decode_export(export_clip(path, 0, 60, tmp_path / "c.mp4").path).numbers == list(range(60))


@pytest.mark.parametrize("start,end", [(7, 180), (30, 200), (50, 150), (0, 200)])
def test_smart_cut_copies_whole_gops_and_matches_reencode(tmp_path, videos, start, end):
    path, _ = videos["long_gop"]
    smart = export_clip(path, start, end, tmp_path / "smart.mp4")
    full = export_clip(path, start, end, tmp_path / "full.mp4", smart_cut=False)
    assert smart.method == "smartcut" and full.method == "reencode"
    assert smart.copied_gops >= 1 and smart.copied_frames >= 50
    got = decode_export(smart.path)
    assert_exact(got, start, end - start, 0.04)
    assert got.numbers == decode_export(full.path).numbers
    assert smart.duration == pytest.approx(full.duration, abs=1e-6)
    assert got.video_seconds == pytest.approx((end - start) / 25, abs=1e-3)


def test_smart_cut_of_a_vfr_source_keeps_its_timestamps(tmp_path, videos):
    path, _ = videos["vfr_long_gop"]
    smart = export_clip(path, 13, 150, tmp_path / "smart.mp4")
    full = export_clip(path, 13, 150, tmp_path / "full.mp4", smart_cut=False)
    assert smart.method == "smartcut" and smart.copied_gops >= 2
    got = decode_export(smart.path)
    assert_exact(got, 13, 137, frame_period(path))
    with open_media(path) as media:
        span = media.frame_time(150) - media.frame_time(13)
    assert smart.duration == pytest.approx(span, abs=1e-3) and full.duration == pytest.approx(span, abs=1e-3)
    assert decode_export(full.path).video_seconds == pytest.approx(span, abs=1e-3)


def test_odd_sized_source_gives_an_even_upright_export(tmp_path, videos):
    path, _ = videos["odd_size"]
    result = export_clip(path, 2, 12, tmp_path / "clip.mp4")
    assert result.method == "reencode"
    decoded = decode_export(result.path)
    assert_exact(decoded, 2, 10, 0.04)
    assert abs(decoded.width - 161) == 1 and abs(decoded.height - 121) == 1  # nearest even size


def test_smart_cut_copies_packets_verbatim_and_decodes_cleanly(tmp_path, videos):
    """The copied GOPs are the source's own bytes and decode to the source's very pixels: the
    splice with the re-encoded head's parameter sets does not disturb them."""
    import av
    path, _ = videos["long_gop"]
    result = export_clip(path, 7, 180, tmp_path / "clip.mp4")
    assert result.method == "smartcut"

    def payloads(file):
        with av.open(str(file)) as container:
            return [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]

    source_packets = set(payloads(path))
    # all but the first copied IDR, which carries the source's parameter sets in front of it
    assert sum(p in source_packets for p in payloads(result.path)) == result.copied_frames - 1 == 99
    exported = decode_export(result.path, keep_pictures=True)
    with open_media(path) as media:
        for k in range(43, 143):  # frames 50..149: the copied GOPs
            assert np.array_equal(exported.pictures[k], media.frame(7 + k)), f"frame {7 + k}"
        for k in (0, 42, 143, 172):  # re-encoded edges: close to the source
            diff = np.abs(exported.pictures[k].astype(int) - media.frame(7 + k).astype(int)).mean()
            assert diff < 4


def test_smart_cut_through_a_file_object_matches_the_path(tmp_path, videos):
    path, _ = videos["long_gop"]
    data = path.read_bytes()
    for n, source in enumerate([io.BytesIO(data), RawReader(data)]):
        result = export_clip(source, 11, 160, tmp_path / f"clip{n}.mp4")
        assert result.method == "smartcut" and result.copied_gops >= 2
        assert_exact(decode_export(result.path), 11, 149, 0.04)


def test_reencode_through_a_file_object(tmp_path, videos):
    path, first = videos["rotated_mp4"]
    result = export_clip(RawReader(path.read_bytes()), 2, 20, tmp_path / "clip.mp4", caption="hello")
    assert_exact(decode_export(result.path), first + 2, 18, 0.04)


@pytest.mark.parametrize("kind,reason", [("open_gop", "GOP"), ("rotated_mp4", "rotated"),
                                         ("interlaced_ts", "spliced")])
def test_smart_cut_falls_back_to_reencode(tmp_path, videos, kind, reason):
    path, first = videos[kind]
    result = export_clip(path, 5, 40, tmp_path / "clip.mp4")
    assert result.method == "reencode" and result.copied_gops == 0
    assert reason in result.note
    assert_exact(decode_export(result.path), first + 5, 35, 0.04)


def test_short_clip_inside_one_gop_is_reencoded(tmp_path, videos):
    path, _ = videos["long_gop"]
    result = export_clip(path, 60, 80, tmp_path / "clip.mp4")
    assert result.method == "reencode" and "GOP" in result.note
    assert decode_export(result.path).numbers == list(range(60, 80))


@pytest.mark.parametrize("speed", [0.5, 0.25, 2.0])
def test_speed_scales_duration_and_keeps_frames(tmp_path, videos, speed):
    path, _ = videos["plain"]
    normal = export_clip(path, 10, 35, tmp_path / "normal.mp4", smart_cut=False)
    result = export_clip(path, 10, 35, tmp_path / "slow.mp4", speed=speed)
    assert result.method == "reencode"
    decoded = decode_export(result.path)
    assert_exact(decoded, 10, 25, 0.04 / speed)
    assert result.duration == pytest.approx(normal.duration / speed, abs=1e-3)
    assert decoded.video_seconds == pytest.approx(1.0 / speed, abs=1e-3)
    assert result.audio_duration == pytest.approx(result.duration, abs=1e-3)


@pytest.mark.parametrize("kind,smart", [("plain", False), ("long_gop", True)])
def test_audio_follows_the_clip_span(tmp_path, videos, kind, smart):
    """The generated tone is loud on frames divisible by 5: the export's loudness must follow its frames."""
    import av
    path, _ = videos[kind]
    result = export_clip(path, 12, 48 if kind == "plain" else 160, tmp_path / "clip.mp4", smart_cut=smart)
    assert result.method == ("smartcut" if smart else "reencode")
    with av.open(str(result.path)) as container:
        audio = container.streams.audio[0]
        pcm = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio)])
    rate = 48000
    for k in range(result.frame_count):  # frame 12 + k covers [k/25, (k+1)/25) s in the export
        part = pcm[int((k + 0.25) * rate / 25):int((k + 0.75) * rate / 25)]
        loud = np.sqrt(np.mean(part ** 2)) > 0.2
        assert loud == ((12 + k) % 5 == 0), f"frame {12 + k}"


def test_caption_draws_in_the_bottom_band_only(tmp_path, videos):
    path, _ = videos["plain"]
    plain = decode_export(export_clip(path, 5, 10, tmp_path / "a.mp4", smart_cut=False).path, True)
    captioned = decode_export(export_clip(path, 5, 10, tmp_path / "b.mp4",
                                          caption="Look, she waits for him — très bien").path, True)
    assert captioned.numbers == list(range(5, 10))
    h = plain.pictures[0].shape[0]
    for a, b in zip(plain.pictures, captioned.pictures, strict=True):
        diff = np.abs(a.astype(int) - b.astype(int)).mean(axis=(1, 2))
        assert diff[int(h * 0.85):].mean() > 20  # the band and its text
        assert diff[:int(h * 0.5)].mean() < 3  # the picture above is untouched


def test_caption_text_fit_for_the_installed_opencv():
    assert ascii_caption("Très  bien —\n看") == "Tres bien ? ?"  # OpenCV 4: Hershey fonts are ASCII only
    expected = "Très bien — 看" if UNICODE_TEXT else "Tres bien ? ?"
    assert drawable_text("Très  bien —\n看") == expected


def test_blur_regions_change_only_their_region(tmp_path, videos):
    path, _ = videos["plain"]
    plain = decode_export(export_clip(path, 5, 10, tmp_path / "a.mp4", smart_cut=False).path, True)
    result = export_clip(path, 5, 10, tmp_path / "b.mp4", blur_regions=[(0.0, 0.0, 0.5, 0.6)])
    assert result.method == "reencode"
    blurred = decode_export(result.path, True)
    h, w = plain.pictures[0].shape[:2]
    for a, b in zip(plain.pictures, blurred.pictures, strict=True):
        diff = np.abs(a.astype(int) - b.astype(int)).mean(axis=2)
        assert diff[:int(h * 0.6), :int(w * 0.5)].mean() > 15  # the sharp black/white blocks are gone
        assert diff[:, int(w * 0.55):].mean() < 3 and diff[int(h * 0.65):].mean() < 3


def test_bad_options_are_refused_before_writing(tmp_path, videos):
    path, _ = videos["plain"]
    for kwargs in [dict(speed=3.0), dict(speed=0.1), dict(blur_regions=[(0.5, 0.5, 0.9)]),
                   dict(blur_regions=[(1.5, 0, 0.1, 0.1)])]:
        with pytest.raises(InvalidInput):
            export_clip(path, 0, 10, tmp_path / "clip.mp4", **kwargs)
    for start, end in [(10, 10), (-1, 5), (50, 61)]:
        with pytest.raises(InvalidInput):
            export_clip(path, start, end, tmp_path / "clip.mp4")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("smart", [True, False])
def test_cancel_leaves_nothing(tmp_path, videos, smart):
    path, _ = videos["long_gop"]
    seen = []

    def progress(fraction, label):
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled("export")

    with pytest.raises(Cancelled):
        export_clip(path, 7, 180, tmp_path / "clip.mp4", smart_cut=smart, progress=progress)
    assert seen and list(tmp_path.iterdir()) == []
    # the decoding worker stopped with the export, not at some later garbage collection
    assert not [t for t in threading.enumerate() if t.name == "export-decode"]


def test_failure_midway_leaves_nothing_and_an_existing_file_untouched(tmp_path, videos):
    path, _ = videos["plain"]
    target = tmp_path / "clip.mp4"
    target.write_bytes(b"an earlier export")

    def progress(fraction, label):
        if fraction > 0.5:
            raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        export_clip(path, 0, 60, target, smart_cut=False, progress=progress)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]
    assert target.read_bytes() == b"an earlier export"


def test_unwritable_targets_raise_a_clear_error(tmp_path, videos):
    path, _ = videos["plain"]
    with pytest.raises(ExportError, match="does not exist"):
        export_clip(path, 0, 10, tmp_path / "missing" / "clip.mp4")
    (tmp_path / "folder.mp4").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_clip(path, 0, 10, tmp_path / "folder.mp4")
    with pytest.raises(ExportError, match="does not exist"):
        export_still(path, 3, tmp_path / "missing" / "still.png")
    assert issubclass(ExportError, VigError)
    assert [p.name for p in tmp_path.iterdir()] == ["folder.mp4"]


def test_unusable_source_raises_media_error_and_leaves_nothing(tmp_path):
    source = tmp_path / "notes.mp4"
    source.write_text("not a video at all\n" * 50)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(VigError):
        export_clip(source, 0, 5, out / "clip.mp4")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("kind,frame", [("plain", 0), ("plain", 59), ("rotated_mp4", 13),
                                        ("anamorphic_pal", 7), ("vfr_mp4", 21), ("odd_size", 5)])
def test_still_png_shows_the_right_frame(tmp_path, videos, kind, frame):
    path, first = videos[kind]
    result = export_still(RawReader(path.read_bytes()) if kind == "vfr_mp4" else path, frame,
                          tmp_path / "still.png")
    picture = png_picture(result.path)
    assert read_frame_number(picture) == first + frame
    with open_media(path) as media:
        info = media.info
        aspect = float(info.width * info.sample_aspect_ratio / info.height)
    assert picture.shape[1] / picture.shape[0] == pytest.approx(aspect, rel=0.01)
    assert picture.shape[0] == info.height  # square pixels by widening, never by shrinking
    assert [p.name for p in tmp_path.iterdir()] == ["still.png"]


def test_still_caption(tmp_path, videos):
    path, _ = videos["plain"]
    plain = png_picture(export_still(path, 4, tmp_path / "a.png").path)
    captioned = png_picture(export_still(path, 4, tmp_path / "b.png", caption="Smiling together").path)
    diff = np.abs(plain.astype(int) - captioned.astype(int)).mean(axis=(1, 2))
    h = plain.shape[0]
    assert diff[int(h * 0.85):].mean() > 20 and diff[:int(h * 0.5)].max() == 0
    assert read_frame_number(captioned) == 4
