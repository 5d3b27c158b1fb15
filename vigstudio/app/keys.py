"""The library's age identity and its contacts' public keys.

Each library has one X25519 identity, made on first need and kept in library.db's settings (so it is
encrypted with everything else). Its public key (`age1…`) is what a practitioner gives a supervisor
and the other way round; contacts are stored with a display name and a role.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pyrage import x25519

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.bundle import BundleRefused, parse_identities, parse_recipient
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Contact, ContactRole

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

IDENTITY_SETTING = "age_identity"


def identity(service: LibraryService) -> x25519.Identity:
    """This library's age identity, made (and audited) the first time it is needed."""
    with service.read() as repos:
        stored = repos.settings.get(IDENTITY_SETTING)
    if stored:
        return x25519.Identity.from_str(stored)
    made = False
    with service.edit() as repos:
        stored = repos.settings.get(IDENTITY_SETTING)  # another caller may have made it meanwhile
        if not stored:
            stored = str(x25519.Identity.generate())
            repos.settings.set(IDENTITY_SETTING, stored)
            repos.audit.append(AuditEvent("key_create", "library age identity"))
            made = True
    if made:
        service.emit(Change(ChangeKind.SETTINGS, ChangeAction.UPDATED))
    return x25519.Identity.from_str(stored)


def public_key(service: LibraryService) -> str:
    return str(identity(service).to_public())


def validate_public_key(text: str) -> str:
    """The `age1…` key, stripped, or `InvalidInput` with a clear message."""
    text = (text or "").strip()
    try:
        return str(parse_recipient(text))
    except BundleRefused as err:
        raise InvalidInput(str(err)) from None


def load_identity_file(path: Path | str) -> list[x25519.Identity]:
    """The identities in an age identity file (as written by `age-keygen`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the identity file {path}: {getattr(exc, 'strerror', None) or exc}") \
            from None
    try:
        return parse_identities(text)
    except BundleRefused as err:
        raise InvalidInput(str(err)) from None


def parse_role(role: str | ContactRole) -> ContactRole:
    try:
        return ContactRole(str(role).strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown role {role!r} (supervisor or practitioner)") from None


def add_contact(service: LibraryService, display_name: str, key: str,
                role: ContactRole | str = ContactRole.SUPERVISOR) -> Contact:
    name = (display_name or "").strip()
    if not name:
        raise InvalidInput("a contact needs a display name")
    key = validate_public_key(key)
    if key == public_key(service):
        raise InvalidInput("that is this library's own public key")
    with service.edit() as repos:
        contact = repos.contacts.add(Contact(display_name=name, public_key=key, role=parse_role(role)))
        repos.audit.append(AuditEvent("contact_add", f"contact {contact.id} {key}"))
    service.emit(Change(ChangeKind.CONTACT, ChangeAction.ADDED, (contact.saved_id,)))
    return contact


def list_contacts(service: LibraryService) -> list[Contact]:
    with service.read() as repos:
        return repos.contacts.list()


def remove_contact(service: LibraryService, contact_id: int) -> None:
    with service.edit() as repos:
        contact = repos.contacts.get(contact_id)
        repos.contacts.delete(contact_id)
        repos.audit.append(AuditEvent("contact_remove", f"contact {contact_id} {contact.public_key}"))
    service.emit(Change(ChangeKind.CONTACT, ChangeAction.DELETED, (contact_id,)))
