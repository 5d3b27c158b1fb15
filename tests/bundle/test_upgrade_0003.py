"""A library made before signed bundles (schema 0002) opens with its contacts unchanged; each becomes a
legacy contact whose signing key is pinned on the first bundle accepted from it."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tests.bundle.support import practitioner_library
from vigstudio.app import keys
from vigstudio.app.bundles import export_session_bundle, open_bundle
from vigstudio.app.library import LibraryService
from vigstudio.app.senders import AcceptSender, UnknownSender
from vigstudio.store import Library
from vigstudio.store.migrate import current_revision, downgrade, head_revision


def test_contacts_of_a_0002_library_become_legacy_contacts(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    folder = tmp_path / "supervisor"
    try:
        lib = Library.create(folder, passphrase)
        downgrade(lib.engine, "0002")
        assert current_revision(lib.engine) == "0002"
        assert "signing_key" not in {c["name"] for c in inspect(lib.engine).get_columns("contacts")}
        with lib.engine.begin() as conn:  # what VIG Studio wrote before bundles were signed
            conn.execute(text("INSERT INTO contacts (display_name, public_key, role) VALUES (:n, :k, 'practitioner')"),
                         {"n": "HV Jones", "k": keys.public_key(practice.service)})
        lib.close()

        supervisor = LibraryService()
        supervisor.open(folder, passphrase)
        try:
            assert supervisor.library.schema_version == head_revision()
            [contact] = keys.list_contacts(supervisor)
            assert (contact.display_name, contact.public_key, contact.signing_key) == (
                "HV Jones", keys.public_key(practice.service), None)
            keys.add_contact(practice.service, "Dr S", keys.contact_card(supervisor))
            bundle = tmp_path / "b.age"
            export_session_bundle(practice.service, practice.session_id, bundle, to=["Dr S"])
            with pytest.raises(UnknownSender) as unknown:  # not without the user accepting it
                open_bundle(supervisor, bundle)
            assert unknown.value.legacy is not None and unknown.value.legacy.id == contact.id
            fingerprint = unknown.value.fingerprint
            assert open_bundle(supervisor, bundle, accept_sender=AcceptSender(fingerprint=fingerprint)).clips == 2
            [pinned] = keys.list_contacts(supervisor)
            assert pinned.id == contact.id and keys.contact_fingerprint(pinned) == fingerprint
        finally:
            supervisor.close()
    finally:
        practice.service.close()
