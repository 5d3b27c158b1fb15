"""Thumbnail strips from real generated videos: exact frame labels, upright, aspect-correct, cancellable."""

import io

import pytest

from tests.videos import make_video, read_frame_number
from vigstudio.domain.errors import Cancelled
from vigstudio.media import open_media
from vigstudio.media.thumbnails import (
    ThumbnailStrip,
    even_frame_indices,
    keyframe_indices,
    make_strip,
    plan_frames,
)


@pytest.fixture(scope="module")
def short_gop_video(tmp_path_factory):
    """72 frames, a keyframe every 12: a strip of 6 comes from keyframes alone."""
    path = tmp_path_factory.mktemp("thumbs") / "gop12.mp4"
    return make_video(path, frames=72, gop=12, bframes=2)


def assert_pictures_match_labels(strip: ThumbnailStrip):
    for position, index in enumerate(strip.frame_indices):
        assert read_frame_number(strip.image(position)) == index


def test_keyframe_strip_is_evenly_spread_and_each_picture_is_its_labelled_frame(short_gop_video):
    with open_media(str(short_gop_video)) as source:
        assert keyframe_indices(source) == [0, 12, 24, 36, 48, 60]
        strip = make_strip(source, 6, height=72)

    assert strip.frame_indices == [0, 12, 24, 36, 48, 60]
    assert_pictures_match_labels(strip)
    assert strip.image(0).shape == (72, 96, 3)  # 320×240 at square pixels


def test_dense_strip_on_long_gops_takes_the_exact_evenly_spread_frames(tmp_path):
    path = make_video(tmp_path / "longgop.mp4", frames=60, gop=60, bframes=2)
    with open_media(str(path)) as source:
        assert plan_frames(60, keyframe_indices(source), 7)[1] == "linear"
        strip = make_strip(source, 7, height=60)

    assert strip.frame_indices == even_frame_indices(60, 7) == [4, 12, 21, 30, 38, 47, 55]
    assert_pictures_match_labels(strip)


def test_rotated_phone_video_gives_upright_portrait_thumbnails(tmp_path):
    path = make_video(tmp_path / "phone.mp4", frames=24, size=(320, 240), rotation=90, gop=6)
    with open_media(str(path)) as source:
        strip = make_strip(source, 4, height=80)

    picture = strip.image(1)
    assert picture.shape == (80, 60, 3)  # upright 240×320: taller than wide
    assert_pictures_match_labels(strip)  # read_frame_number refuses a sideways picture


def test_anamorphic_video_thumbnails_apply_the_sample_aspect_ratio(tmp_path):
    path = make_video(tmp_path / "dv.mp4", frames=12, size=(360, 288), sar=(16, 11), gop=6)
    with open_media(str(path)) as source:
        strip = make_strip(source, 2, height=72)
    assert strip.image(0).shape == (72, 131, 3)  # 360·16/11 = 523.6 wide for 288 high
    assert_pictures_match_labels(strip)


def test_strip_round_trips_as_one_blob_and_finds_the_nearest_thumbnail(short_gop_video):
    buf = io.BytesIO(short_gop_video.read_bytes())  # as from the encrypted container's reader
    with open_media(buf) as source:
        strip = make_strip(source, 6, height=48)
    again = ThumbnailStrip.from_bytes(strip.to_bytes())

    assert again.frame_indices == strip.frame_indices and again.height == 48
    assert again.jpegs == strip.jpegs
    index, rgb = again.nearest(31)
    assert index == 36 and read_frame_number(rgb) == 36
    assert again.nearest(-5)[0] == 0 and again.nearest(10_000)[0] == 60
    with pytest.raises(ValueError):
        ThumbnailStrip.from_bytes(b"not a strip at all")


@pytest.mark.parametrize("gop", [12, 72])  # keyframe path and linear path
def test_raising_cancelled_from_progress_stops_it(short_gop_video, tmp_path, gop):
    path = short_gop_video if gop == 12 else make_video(tmp_path / "g.mp4", frames=72, gop=gop)
    calls = []

    def progress(fraction, label):
        calls.append(fraction)
        if len(calls) == 3:
            raise Cancelled("thumbnails")

    with open_media(str(path)) as source:
        with pytest.raises(Cancelled):
            make_strip(source, 6, progress=progress)
        # the source is still perfectly usable afterwards
        assert read_frame_number(source.frame(40)) == 40
    assert len(calls) == 3 and calls[0] == 0.0


def test_more_thumbnails_than_frames_gives_each_frame_once(tmp_path):
    path = make_video(tmp_path / "tiny.mp4", frames=5, gop=5)
    with open_media(str(path)) as source:
        strip = make_strip(source, 20)
        assert len(make_strip(source, 0)) == 0
    assert strip.frame_indices == [0, 1, 2, 3, 4]
    assert_pictures_match_labels(strip)


def test_long_gops_past_the_decode_budget_give_their_keyframes_only(tmp_path):
    """A long recording with long GOPs is not decoded linearly at import: each slice shows its
    nearest keyframe, once, still labelled with the exact frame it shows."""
    path = make_video(tmp_path / "long.mp4", frames=120, gop=40, bframes=2)
    with open_media(str(path)) as source:
        assert plan_frames(120, keyframe_indices(source), 6, budget=30) == ([0, 40, 80], "sparse")
        strip = make_strip(source, 6, height=48, budget=30)
        # under the default budget, slices without a keyframe get their centre frame
        dense = make_strip(source, 6, height=48)
    assert strip.frame_indices == [0, 40, 80]
    assert_pictures_match_labels(strip)
    assert dense.frame_indices == [0, 30, 40, 70, 80, 110]
    assert_pictures_match_labels(dense)


def test_plan_prefers_keyframes_then_linear_then_sparse_by_cost():
    hour_of_phone_video = list(range(0, 108_000, 30))  # 1 s GOPs
    frames, method = plan_frames(108_000, hour_of_phone_video, 120)
    assert method == "keyframes" and len(frames) == 120 and set(frames) <= set(hour_of_phone_video)
    ten_second_gops = list(range(0, 3600, 300))
    frames, method = plan_frames(3600, ten_second_gops, 120)
    assert method == "sparse" and frames == ten_second_gops
    assert plan_frames(300, [0], 10)[1] == "linear"  # 10 s: one pass is cheap


def test_pictures_come_scaled_upright_and_exact_from_one_decoder(tmp_path):
    path = make_video(tmp_path / "phone.mp4", frames=40, size=(320, 240), rotation=90, gop=10, bframes=2)
    with open_media(str(path)) as source:
        got = list(source.pictures([3, 10, 11, 37], size=(120, 160)))
        assert source.cache_misses == 0  # the editing cache was not used
    assert [i for i, _ in got] == [3, 10, 11, 37]
    for i, rgb in got:
        assert rgb.shape == (160, 120, 3)
        assert read_frame_number(rgb) == i
