"""Display matrices that turn and mirror: every picture is the one FFmpeg's autorotate shows."""

import io
import random

import av
import cv2
import numpy as np
import pytest

from tests.media.kind_files import MATRICES, ffmpeg_frames, make_oriented
from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media
from vigstudio.media.export import export_clip, export_still
from vigstudio.media.index import FrameIndex
from vigstudio.media.orientation import Orientation, from_display_matrix
from vigstudio.media.thumbnails import make_strip

EXPECTED = {  # (clockwise turn, mirrored after it) of each matrix in MATRICES
    "transpose": (90, True), "anti_transpose": (270, True), "hflip": (0, True), "vflip": (180, True),
    "rotate_90": (270, False), "rotate_180": (180, False), "rotate_270": (90, False),
}


@pytest.fixture(scope="module")
def oriented(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oriented")
    made = {}
    for name, matrix in MATRICES.items():
        path = make_oriented(folder / f"{name}.mp4", matrix)
        made[name] = (path, ffmpeg_frames(path))
    return made


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_every_frame_is_ffmpegs_autorotated_frame(oriented, name):
    path, truth = oriented[name]
    assert [read_frame_number(p) for p in truth] == list(range(len(truth)))  # the file is as meant
    with open_media(path) as source:
        info = source.info
        assert (info.rotation, info.mirrored) == EXPECTED[name]
        assert (info.width, info.height) == (96, 64)
        assert info.frame_count == len(truth)
        order = list(range(len(truth)))
        random.Random(name).shuffle(order)
        for i in order + list(range(len(truth) - 1, -1, -1)):
            assert np.array_equal(source.frame(i), truth[i]), (name, i)
        assert all(np.array_equal(rgb, truth[i]) for i, rgb in source.iter_frames(5))
        for i, small in source.pictures([0, 9, 17], size=(48, 32)):
            assert small.shape == (32, 48, 3) and read_frame_number(small) == i


@pytest.mark.parametrize("name", ["transpose", "hflip", "vflip"])
def test_thumbnails_export_and_stills_show_the_same_orientation(oriented, tmp_path, name):
    path, truth = oriented[name]
    with open_media(path) as source:
        strip = make_strip(source, 6, height=32)
    assert len(strip) > 0
    for k in range(len(strip)):
        assert read_frame_number(strip.image(k)) == strip.frame_indices[k]

    out = tmp_path / "clip.mp4"
    result = export_clip(path, 3, 15, out)
    assert result.method == "reencode"
    with av.open(str(out)) as container:
        decoded = list(container.decode(video=0))
    assert all(f.rotation == 0 for f in decoded)  # turned and mirrored in the pictures, no matrix left
    frames = [f.to_ndarray(format="rgb24") for f in decoded]
    assert [read_frame_number(f) for f in frames] == list(range(3, 15))
    assert frames[0].shape[:2] == (64, 96)

    png = io.BytesIO()
    export_still(path, 7, png)
    still = cv2.cvtColor(cv2.imdecode(np.frombuffer(png.getvalue(), np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert read_frame_number(still) == 7


def test_index_stored_before_mirroring_was_known_is_mended(oriented):
    """An index stored by an older build has no "mirrored": the orientation is read again on open."""
    path, truth = oriented["transpose"]
    with open_media(path) as source:
        data = source.index_bytes()
    index = FrameIndex.from_bytes(data)
    index.mirrored = None
    old = index.to_bytes()
    assert FrameIndex.from_bytes(old).mirrored is None
    with open_media(path, index=old) as source:
        assert source.info.mirrored and source.info.rotation == 90
        assert np.array_equal(source.frame(11), truth[11])


def test_plain_rotation_is_unchanged(tmp_path):
    path = make_video(tmp_path / "r90.mp4", frames=6, size=(96, 64), rotation=90)
    with open_media(path) as source:
        assert (source.info.rotation, source.info.mirrored) == (90, False)
        assert read_frame_number(source.frame(5)) == 5


def test_matrix_rule_covers_all_eight_cases():
    seen = {from_display_matrix(m) for m in MATRICES.values()} | {from_display_matrix((1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30))}
    assert seen == {Orientation(r, m) for r in (0, 90, 180, 270) for m in (False, True)}
