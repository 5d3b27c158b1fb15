"""The scrubbing proxy: every frame's own small picture, exact by index, from an in-memory stream."""

import io

import pytest

from tests.videos import make_video, read_frame_number
from vigstudio.domain.errors import Cancelled
from vigstudio.media import open_media
from vigstudio.media.errors import FrameOutOfRange, MediaError
from vigstudio.media.proxy import PROXY_HEIGHT, ProxyReader, StreamFile, proxy_size, proxy_stream


def _proxy_bytes(media, progress=None) -> bytes:
    return StreamFile(proxy_stream(media, progress)).read()


def test_proxy_size_keeps_the_aspect_and_never_enlarges():
    assert proxy_size(1920, 1080) == (570, PROXY_HEIGHT)
    assert proxy_size(1080, 1920) == (180, PROXY_HEIGHT)
    assert proxy_size(320, 241) == (320, 240)


@pytest.mark.parametrize("kind", [dict(), dict(rotation=90), dict(bframes=3, gop=40, vfr=True)])
def test_every_frame_of_the_proxy_is_that_frame(tmp_path, kind):
    path = make_video(tmp_path / "v.mp4", frames=61, size=(480, 360) if not kind.get("rotation") else (360, 480),
                      **kind)
    with open_media(path) as media:
        data = _proxy_bytes(media)
        reader = ProxyReader(io.BytesIO(data), frame_count=media.info.frame_count)
        assert (reader.width, reader.height) == proxy_size(media.info.width, media.info.height)
        order = list(range(61))[::-1] + [30, 5, 59, 0, 17, 16, 15, 40]  # backwards, then jumps
        for i in order:
            picture = reader.frame(i)
            assert picture.shape == (reader.height, reader.width, 3)
            assert read_frame_number(picture) == i
        with pytest.raises(FrameOutOfRange):
            reader.frame(61)


def test_a_cancelled_build_stops_and_a_damaged_proxy_is_refused(tmp_path):
    path = make_video(tmp_path / "v.mp4", frames=40)

    def cancel_midway(fraction, label):
        if fraction > 0.3:
            raise Cancelled("previews")

    with open_media(path) as media:
        with pytest.raises(Cancelled):
            _proxy_bytes(media, cancel_midway)
        data = _proxy_bytes(media)
    with pytest.raises(MediaError):
        ProxyReader(io.BytesIO(data[:-20]))
    with pytest.raises(MediaError):
        ProxyReader(io.BytesIO(data), frame_count=41)
    with pytest.raises(MediaError):
        ProxyReader(io.BytesIO(b"not a proxy at all, just text"))
