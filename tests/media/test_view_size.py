"""Frames kept at the size the editor shows them: exact frames, far less memory, full size on demand."""

import numpy as np

from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media


def test_a_source_kept_at_the_view_size_serves_exact_small_frames_and_full_ones_apart(tmp_path):
    path = make_video(tmp_path / "v.mp4", frames=90, size=(640, 360), gop=45, bframes=2, rotation=90)
    with open_media(path, cache_bytes=8 * 2**20) as full, open_media(path, cache_bytes=8 * 2**20) as small:
        small.set_view_size((90, 160))  # upright: the recording is turned a quarter
        for i in [50, 49, 48, 51, 10, 89, 0]:
            picture = small.frame(i, (90, 160))
            assert picture.shape == (160, 90, 3)
            assert read_frame_number(picture) == i
        small.wait_prefetch()
        full.frame(50)
        full.wait_prefetch()
        assert len(small._engine.cache) > 2 * len(full._engine.cache)  # same memory, many more frames
        assert small.has_frame(49)
        np.testing.assert_array_equal(small.frame(30), full.frame(30))  # full size: decoded apart, exact
        small.set_view_size(None)
        assert read_frame_number(small.frame(31)) == 31 and small.frame(31).shape == (640, 360, 3)


def test_moments_kept_ready_are_decoded_in_the_background_and_served_at_once(tmp_path):
    path = make_video(tmp_path / "v.mp4", frames=120, size=(320, 180), gop=120, bframes=3)
    with open_media(path, cache_bytes=2 * 2**20) as source:
        source.frame(5)
        source.keep_ready([110, 70, 300, 70, 90])  # out of range and repeated ones are ignored
        assert source.wait_prefetch()
        assert all(source.has_frame(i) for i in (110, 70, 90))
        misses = source.cache_misses
        for i in (90, 110, 70):
            assert read_frame_number(source.frame(i)) == i
        assert source.cache_misses == misses  # no decode was waited for
        source.keep_ready([20])
        assert source.wait_prefetch()
        source.frame(21)
        source.wait_prefetch()
        assert source.has_frame(20) and not source._engine.pinned.keys() - {20}
