"""Unusable input is refused with a MediaError, quickly, never another exception or a hang."""

import io

import numpy as np
import pytest

from tests.videos import BROKEN_KINDS, make_broken, make_video, read_frame_number
from vigstudio.domain.errors import VigError
from vigstudio.media import FrameOutOfRange, MediaError, open_media

EXPECTED_MESSAGE = {
    "empty": "not a video",
    "text": "not a video",
    "random": "not a video",
    "truncated_moov": "file is truncated or damaged",
    "audio_only": "no video stream",
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", sorted(EXPECTED_MESSAGE))
def test_broken_file_is_refused(tmp_path, kind):
    suffix = ".mov" if kind == "random" else ".mp4"
    path = make_broken(kind, tmp_path / f"broken{suffix}")
    with pytest.raises(MediaError) as err:
        open_media(path)
    assert isinstance(err.value, VigError)
    assert str(err.value).startswith(EXPECTED_MESSAGE[kind])
    assert "\n" not in str(err.value)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", [k for k in BROKEN_KINDS if k != "truncated_faststart"])
def test_broken_file_object_is_refused(tmp_path, kind):
    data = make_broken(kind, tmp_path / "broken.mp4").read_bytes()
    with pytest.raises(MediaError):
        open_media(io.BytesIO(data))


@pytest.mark.timeout(10)
def test_cut_faststart_serves_what_decodes(tmp_path):
    """A fast-start MP4 cut in its data: either refused clearly or every served frame is right."""
    path = make_broken("truncated_faststart", tmp_path / "cut.mp4")
    try:
        source = open_media(path)
    except MediaError:
        return
    with source:
        count = source.info.frame_count
        assert 0 < count < 48
        for i in [count - 1, 0, count // 2, *range(count - 1, -1, -1)]:
            assert read_frame_number(source.frame(i)) == i
        assert [i for i, _ in source.iter_frames()] == list(range(count))


def test_missing_file(tmp_path):
    with pytest.raises(MediaError):
        open_media(tmp_path / "nowhere.mp4")


def test_unreadable_file_object():
    class Closed(io.BytesIO):
        def read(self, *args):
            raise OSError("device gone")

    with pytest.raises(MediaError):
        open_media(Closed(b"x" * 1000))


def test_frame_out_of_range(tmp_path):
    path = make_video(tmp_path / "v.mp4", frames=10, size=(64, 48))
    with open_media(path) as source:
        for bad in (-1, 10, 1000):
            with pytest.raises(FrameOutOfRange) as err:
                source.frame(bad)
            assert isinstance(err.value, MediaError) and isinstance(err.value, IndexError)
        with pytest.raises(MediaError):
            source.frame_time(10)


@pytest.mark.parametrize("garbage", [b"", b"not an index", None])
def test_stale_or_foreign_index_is_rebuilt(tmp_path, garbage):
    path = make_video(tmp_path / "v.mp4", frames=20, size=(64, 48))
    other = make_video(tmp_path / "other.mp4", frames=30, size=(64, 48))
    with open_media(other) as source:
        foreign = source.index_bytes()
    with open_media(path, index=foreign if garbage is None else garbage) as source:
        assert source.info.frame_count == 20
        assert read_frame_number(source.frame(19)) == 19


def test_closed_source_refuses(tmp_path):
    path = make_video(tmp_path / "v.mp4", frames=10, size=(64, 48))
    source = open_media(path)
    source.frame(3)
    source.close()
    source.close()  # idempotent
    with pytest.raises(MediaError):
        source.frame(3)
    assert np.isclose(source.frame_time(1), 0.04)  # the index stays readable


@pytest.mark.parametrize("ext", [".png", ".jpg"])
def test_still_image_is_not_a_video(tmp_path, ext):
    import cv2

    image = tmp_path / f"photo{ext}"
    cv2.imwrite(str(image), np.full((48, 64, 3), 200, np.uint8))
    renamed = image.rename(tmp_path / "photo.mp4")
    with pytest.raises(MediaError, match="not a video"):
        open_media(renamed)
