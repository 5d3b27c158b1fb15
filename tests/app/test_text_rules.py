"""One normalisation for text from every source (typed in the GUI or CLI, or carried by a bundle), and
one passphrase rule for libraries and bundles."""

from __future__ import annotations

import pytest

from vigstudio.app import editing
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain import text
from vigstudio.domain.errors import InvalidInput, PassphraseTooShort
from vigstudio.domain.passphrases import PassphraseTooCommon, check_passphrase, is_common


@pytest.mark.parametrize("code, why", [
    ("F\x1b[31m-1", "control characters"), ("F-1\nX", "line breaks"), ("X" * 10_000, "at most 64"),
    ("F\t1", "tabs"), ("\u202eF-1", "control characters"), ("   ", "needs a code"), (None, "needs a code"),
    (42, "must be text")])
def test_case_codes(code, why):
    with pytest.raises(InvalidInput, match=why):
        text.case_code(code)


def test_titles_and_free_text():
    assert text.case_code("  F-014 ") == "F-014"
    assert text.single_line("  a title ", "a title") == "a title"
    assert text.free_text("line one\r\nline two\tend", "notes") == "line one\nline two\tend"
    for bad in ("two\nlines", "esc \x1b[0m", "zero\u200bwidth"):
        with pytest.raises(InvalidInput):
            text.single_line(bad, "a title")
    with pytest.raises(InvalidInput, match="control characters"):
        text.free_text("bell \x07", "notes")
    with pytest.raises(InvalidInput, match="at most 20000"):
        text.free_text("x" * 20_001, "notes")


def test_the_app_applies_them_to_typed_text(service, video):
    with pytest.raises(InvalidInput, match="control characters"):
        add_case(service, "F\x1b[2J-1")
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    with pytest.raises(InvalidInput, match="control characters"):
        editing.add_clip(service, recording.id, 0, 5, "title \x1b[31m")
    with pytest.raises(InvalidInput, match="control characters"):
        editing.add_still(service, recording.id, 2, "caption \x1b[31m")
    assert editing.add_clip(service, recording.id, 0, 5, " fine ").title == "fine"


def test_one_passphrase_rule(tmp_path):
    for weak in ("password123", "Password123!", "qwertyuiop", "1234567890", "aaaaaaaaaaaa", "abcabcabcabc",
                 "iloveyou!!", "poiuytrewq", "  letmein2024  "):
        assert is_common(weak), weak
        with pytest.raises(PassphraseTooCommon):
            check_passphrase(weak)
    for fine in ("correct horse battery staple", "plum orchard wind", "Tuesday kettle 47 violet"):
        assert not is_common(fine), fine
        check_passphrase(fine)
    with pytest.raises(PassphraseTooShort):
        check_passphrase("short")
    with pytest.raises(PassphraseTooCommon):  # a library is held to the same rule
        LibraryService().create(tmp_path / "lib", "password123")
    assert not (tmp_path / "lib").exists()
