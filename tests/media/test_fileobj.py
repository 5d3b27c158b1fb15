"""Reading through file objects (the library's encrypted container reader is an io.RawIOBase)."""

import io
import threading

import pytest

from tests.media.export_checks import RawReader
from tests.videos import make_kind, read_frame_number
from vigstudio.media import open_media


@pytest.mark.parametrize("kind", ["long_gop", "interlaced_ts", "live_webm", "rotated_mp4"])
@pytest.mark.parametrize("wrap", [io.BytesIO, RawReader])
def test_frames_through_file_object(tmp_path, kind, wrap):
    path, first = make_kind(kind, tmp_path)
    file = wrap(path.read_bytes())
    with open_media(path) as by_path, open_media(file) as by_file:
        assert by_file.info == by_path.info
        count = by_file.info.frame_count
        for i in [count - 1, 5, 0, count // 2, count // 2 - 1, count // 2 - 2]:
            assert read_frame_number(by_file.frame(i)) == first + i
        reopened = open_media(wrap(path.read_bytes()), index=by_file.index_bytes())
        with reopened:
            assert read_frame_number(reopened.frame(count - 2)) == first + count - 2
    if wrap is RawReader:
        assert file.reads > 0


def test_linear_reader_and_frame_access_share_one_file_object(tmp_path):
    """iter_frames on a worker thread (thumbnails) while the UI thread steps: independent positions."""
    path, _ = make_kind("long_gop", tmp_path)
    file = RawReader(path.read_bytes(), chunk=4096)
    with open_media(file) as source:
        linear, errors = [], []

        def worker():
            try:
                linear.extend((i, read_frame_number(rgb)) for i, rgb in source.iter_frames())
            except Exception as exc:  # surfaced below
                errors.append(exc)

        thread = threading.Thread(target=worker)
        thread.start()
        for i in [90, 12, 60, 59, 58, 99, 0, 45]:
            assert read_frame_number(source.frame(i)) == i
        thread.join(30)
        assert not errors
        assert linear == [(i, i) for i in range(100)]


@pytest.mark.parametrize("kind", ["long_gop", "interlaced_ts", "hevc10_mov"])
def test_frames_through_the_encrypted_container_reader(tmp_path, kind):
    from vigstudio.store.containers import ContainerStore

    path, first = make_kind(kind, tmp_path)
    (tmp_path / "media").mkdir()
    store = ContainerStore(tmp_path / "media", referenced=lambda: [])
    name, _sha, key = store.create(path)
    with open_media(path) as by_path:
        stored_index = by_path.index_bytes()
        expected = by_path.info
    reader = store.open_reader(name, key)
    try:
        with open_media(reader) as source:
            assert source.info == expected
            count = source.info.frame_count
            for i in [count - 1, 0, count // 2, count // 2 - 1, 7]:
                assert read_frame_number(source.frame(i)) == first + i
        # the index built from the plaintext at import is reused on the container (same bytes)
        with open_media(reader, index=stored_index) as again:
            assert read_frame_number(again.frame(count - 3)) == first + count - 3
    finally:
        reader.close()
