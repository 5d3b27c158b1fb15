"""The library's age identity (made once, kept encrypted) and contacts."""

from __future__ import annotations

import pytest

from vigstudio.app import keys
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import InvalidInput


def test_identity_is_made_once_and_survives_reopening(service, passphrase):
    first = keys.public_key(service)
    assert first.startswith("age1") and keys.public_key(service) == first
    path = service.path
    service.close()
    again = LibraryService()
    again.open(path, passphrase)
    try:
        assert keys.public_key(again) == first
    finally:
        again.close()
    assert b"AGE-SECRET-KEY" not in (path / "library.db").read_bytes()


def test_contacts(service, tmp_path):
    other = LibraryService()
    other.create(tmp_path / "other", "another long passphrase")
    try:
        their_key = keys.public_key(other)
    finally:
        other.close()
    contact = keys.add_contact(service, " Dr Supervisor ", their_key, "supervisor")
    assert [(c.display_name, c.public_key) for c in keys.list_contacts(service)] == [("Dr Supervisor", their_key)]
    with pytest.raises(InvalidInput, match="already exists"):
        keys.add_contact(service, "Again", their_key)
    with pytest.raises(InvalidInput, match="not an age public key"):
        keys.add_contact(service, "Bad", "age1notakey")
    with pytest.raises(InvalidInput, match="own public key"):
        keys.add_contact(service, "Me", keys.public_key(service))
    keys.remove_contact(service, contact.id)
    assert keys.list_contacts(service) == []


def test_identity_file(tmp_path):
    path = tmp_path / "key.txt"
    path.write_text("# created: today\n# public key: age1...\n")
    with pytest.raises(InvalidInput, match="no age identity"):
        keys.load_identity_file(path)
    path.write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    with pytest.raises(InvalidInput, match="not an age identity"):
        keys.load_identity_file(path)
