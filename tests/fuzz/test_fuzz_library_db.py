"""Fuzzing library.db: flipped bits and truncations (a failing disk, a copy cut short). Opening and
reading the library either works or is refused with one line (`DamagedLibrary`); never an unexpected
error, and never a recording container removed because the database no longer lists it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FUZZ
from tests.videos import make_video
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import DamagedLibrary, VigError


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from tests.conftest import PASSPHRASE

    tmp = tmp_path_factory.mktemp("fuzz-db")
    service = LibraryService()
    service.create(tmp / "lib", PASSPHRASE)
    add_case(service, "F-014")
    import_recording(service, "F-014", make_video(tmp / "v.mp4", frames=10))
    service.close()
    folder = tmp / "lib"
    media = {p.name: p.read_bytes() for p in (folder / "media").iterdir()}
    yield folder, (folder / "library.db").read_bytes(), PASSPHRASE, media


def _media(folder):
    return sorted(p.name for p in (folder / "media").iterdir())


def _open_and_read(folder, passphrase) -> None:
    service = LibraryService()
    try:
        service.open(folder, passphrase)
        library_tree(service)
        service.info()
    except VigError as err:
        assert str(err) and "\n" not in str(err)
    finally:
        service.close()


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=7)), min_size=1,
                      max_size=3), cut=st.one_of(st.none(), st.integers(min_value=0)))
def test_fuzz_library_db(library, flips, cut):
    folder, original, passphrase, kept = library
    media = _media(folder)
    data = bytearray(original)
    for position, bit in flips:
        data[position % len(data)] ^= 1 << bit
    if cut is not None:
        del data[cut % len(data):]
    db = folder / "library.db"
    try:
        db.write_bytes(bytes(data))
        for side in folder.glob("library.db-*"):
            side.unlink()
        _open_and_read(folder, passphrase)
        assert _media(folder) == media
    finally:  # put everything back, so one failure cannot hide behind the next case
        db.write_bytes(original)
        for side in folder.glob("library.db-*"):
            side.unlink()
        for name, blob in kept.items():
            if not (folder / "media" / name).exists():
                (folder / "media" / name).write_bytes(blob)


def test_an_empty_library_db_is_refused_and_the_recordings_stay(library):
    folder, original, passphrase, _kept = library
    media = _media(folder)
    try:
        for cut, why in ((0, "library.db is empty"), (1, "library.db is cut short"), (4000, "cut short")):
            (folder / "library.db").write_bytes(original[:cut])
            with pytest.raises(DamagedLibrary, match=why):
                LibraryService().open(folder, passphrase)
            assert _media(folder) == media and media
    finally:
        (folder / "library.db").write_bytes(original)
