"""Frame-exact access on every kind of recording, checked against a full FFmpeg (PyAV) decode."""

import random
from fractions import Fraction

import av
import numpy as np
import pytest

from tests.videos import ALL_KINDS, make_kind, read_frame_number
from vigstudio.media import open_media


def full_decode(path):
    """Frame numbers and times of every frame FFmpeg outputs in passthrough timing (the truth)."""
    numbers, times = [], []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            upright = np.rot90(frame.to_ndarray(format="rgb24"), k=(frame.rotation // 90) % 4)
            numbers.append(read_frame_number(upright))
            times.append(float(frame.time))
    return numbers, np.array(times)


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    made = {}
    for kind in ALL_KINDS:
        path, first = make_kind(kind, folder)
        made[kind] = (path, first, *full_decode(path))
    return made


@pytest.fixture(params=ALL_KINDS)
def kind(request, videos):
    return request.param, *videos[request.param]


def test_frame_count_and_times_match_ffmpeg(kind):
    name, path, first, numbers, times = kind
    assert numbers == list(range(first, first + len(numbers)))  # the generator and FFmpeg agree
    with open_media(path) as source:
        assert source.info.frame_count == len(numbers)
        assert len(source.frame_times) == len(numbers)
        np.testing.assert_allclose(source.frame_times, times - times[0], atol=1e-6)
        assert source.frame_time(0) == 0.0
        assert source.info.duration > source.frame_times[-1]


def test_random_frames_forward_and_backward(kind):
    name, path, first, numbers, _ = kind
    count = len(numbers)
    rng = random.Random(name)
    jumps = rng.sample(range(count), min(count, 12))
    backward = list(range(count - 1, max(-1, count - 16), -1))
    forward = list(range(count // 3, count // 3 + 10))
    with open_media(path) as source:
        for i in jumps + backward + forward + jumps[::-1]:
            rgb = source.frame(i)
            assert rgb.dtype == np.uint8 and rgb.shape == (source.info.height, source.info.width, 3)
            assert read_frame_number(rgb) == numbers[i], f"{name}: frame {i}"


def test_iter_frames_yields_a_linear_range(kind):
    name, path, first, numbers, _ = kind
    with open_media(path) as source:
        got = [(i, read_frame_number(rgb)) for i, rgb in source.iter_frames(3, 11)]
        assert got == [(i, numbers[i]) for i in range(3, 11)]
        tail = [i for i, _ in source.iter_frames(len(numbers) - 3)]
        assert tail == list(range(len(numbers) - 3, len(numbers)))


def test_frame_at_time_inverts_frame_time(kind):
    name, path, *_ = kind
    with open_media(path) as source:
        times = source.frame_times
        for i in range(0, len(times) - 1, 7):
            assert source.frame_at_time(source.frame_time(i)) == i
            assert source.frame_at_time((times[i] + times[i + 1]) / 2) == i
        assert source.frame_at_time(-1.0) == 0
        assert source.frame_at_time(1e9) == len(times) - 1


def test_reopen_with_stored_index(kind):
    name, path, first, numbers, _ = kind
    with open_media(path) as source:
        data = source.index_bytes()
        method = source.info.index_method
    assert len(data) < 4000
    with open_media(path, index=data) as again:
        assert again.info.frame_count == len(numbers)
        assert again.info.index_method == method
        for i in (len(numbers) - 1, 0, len(numbers) // 2):
            assert read_frame_number(again.frame(i)) == numbers[i]


EXPECTED_INFO = {
    "vfr_mp4": dict(video_codec="h264", audio_codec="aac", audio_sample_rate=48000),
    "rotated_mp4": dict(rotation=90, width=120, height=160, audio_codec="aac"),
    "hevc10_mov": dict(video_codec="hevc", audio_codec="aac", audio_sample_rate=44100),
    "interlaced_ts": dict(video_codec="h264", audio_codec="ac3", audio_sample_rate=48000),
    "vp9_webm": dict(video_codec="vp9", audio_codec="opus"),
    "live_webm": dict(video_codec="vp9", audio_codec="opus"),
    "mjpeg_avi": dict(video_codec="mjpeg", audio_codec="pcm_s16le", audio_sample_rate=44100),
    "anamorphic_pal": dict(width=720, height=576, sample_aspect_ratio=Fraction(64, 45), has_audio=False),
    "no_audio_mkv": dict(has_audio=False, audio_codec=None, audio_sample_rate=None, rotation=0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_INFO))
def test_info(videos, name):
    path, *_ = videos[name]
    with open_media(path) as source:
        for key, value in EXPECTED_INFO[name].items():
            assert getattr(source.info, key) == value, key
        assert source.info.has_audio == (source.info.audio_codec is not None)
        assert 20 < source.info.average_fps < 26


def test_vfr_times_are_irregular(videos):
    path, *_ = videos["vfr_mp4"]
    with open_media(path) as source:
        steps = np.round(np.diff(source.frame_times), 3)
        assert len(set(steps)) >= 3  # really variable, and served as such


def test_long_gop_index_is_built_from_packets(videos):
    for name in ("long_gop", "open_gop", "edit_list_mp4", "interlaced_ts", "live_webm"):
        with open_media(videos[name][0]) as source:
            assert source.info.index_method == "demux", name


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_every_display_rotation_is_turned_upright(tmp_path, rotation):
    from tests.videos import make_video

    path = make_video(tmp_path / f"r{rotation}.mp4", frames=12, size=(96, 64), rotation=rotation)
    with open_media(path) as source:
        assert source.info.rotation == rotation
        turned = rotation in (90, 270)
        assert (source.info.width, source.info.height) == ((64, 96) if turned else (96, 64))
        for i in (11, 0, 5):
            assert read_frame_number(source.frame(i)) == i
        assert [read_frame_number(rgb) for _, rgb in source.iter_frames(9)] == [9, 10, 11]
