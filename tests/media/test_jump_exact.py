"""Jumps skip pictures nothing refers to: the pictures they return are still bit-exact against a
full decode (H.264 with B-frames, HEVC 10-bit with one temporal sub-layer)."""

import random

import av
import numpy as np
import pytest

from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media
from vigstudio.media.decoder import GopDecoder, skips_exactly


def _all_frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.mark.parametrize("codec, pix_fmt", [("libx264", "yuv420p"), ("libx265", "yuv420p10le")])
def test_jumps_are_bit_exact_where_unreferenced_pictures_are_skipped(tmp_path, codec, pix_fmt):
    path = make_video(tmp_path / "v.mp4", frames=120, size=(256, 144), gop=60, bframes=3, codec=codec,
                      pix_fmt=pix_fmt, texture=True)
    with av.open(str(path)) as container:
        assert skips_exactly(container.streams.video[0].codec_context)
    truth = _all_frames(path)
    with open_media(path) as source:
        for i in random.Random(codec).sample(range(len(truth)), 16) + [119, 59, 60, 0]:
            np.testing.assert_array_equal(source.frame(i), truth[i], err_msg=f"frame {i}")


@pytest.mark.parametrize("thread_type", ["AUTO", "SLICE"])
def test_a_decode_stopped_before_its_skipping_bound_is_not_continued_over_a_gap(tmp_path, thread_type):
    """The prefetch stops between two pictures when a caller needs the decoder. Skipping was
    switched off when the first packet past the bound was sent, several pictures before the frames
    shown just below the bound came out, and some of those were skipped: a decoder stopped there
    must not continue from its last frame as if nothing were missing (it reported "frame 51
    cannot be decoded" to a caller after an interrupted prefetch)."""
    path = make_video(tmp_path / "v.mp4", frames=100, size=(160, 120), gop=50, bframes=3)
    with open_media(path) as source:
        index, opener = source._index, source._opener
    gaps = 0
    for keep_from in range(51, 64):
        for shown in range(1, 6):
            decoder = GopDecoder(opener, index, thread_type)
            try:
                decoder.seek_for(keep_from)
                decoder.skip_unkept_before(keep_from)
                got = [decoder.next_frame()[0] for _ in range(shown)]
                gaps += got != list(range(got[0], got[0] + shown))
                decoder.stop_skipping()
                for target in range(got[-1] + 1, keep_from + 2):
                    frame = decoder.decode_to(target)
                    assert read_frame_number(frame.to_ndarray(format="rgb24")) == target
            finally:
                decoder.close()
    assert gaps  # the file does skip pictures below the bound (else this test would prove nothing)
