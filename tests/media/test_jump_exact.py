"""Jumps skip pictures nothing refers to: the pictures they return are still bit-exact against a
full decode (H.264 with B-frames, HEVC 10-bit with one temporal sub-layer)."""

import random

import av
import numpy as np
import pytest

from tests.videos import make_video
from vigstudio.media import open_media
from vigstudio.media.decoder import skips_exactly


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
