"""The library's keys (age identity, Ed25519 signing key) and its contacts' public keys.

Each library has one X25519 identity and one Ed25519 signing key, made on first need and kept in
library.db's settings (so they are encrypted with everything else). The contact card (one line with
the `age1…` recipient and the signing key) is what a practitioner gives a supervisor and the other way
round; contacts are stored with a display name and a role. A contact added by a bare `age1…` key (as
before bundles were signed) has no signing key until the first bundle the user accepts from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pyrage import x25519

from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.bundle import (
    BundleRefused,
    Sender,
    card_text,
    fingerprint,
    new_signing_key,
    parse_card,
    parse_identities,
    parse_recipient,
    public_of,
)
from vigstudio.bundle.signing import encode_key
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, Contact, ContactRole

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

IDENTITY_SETTING = "age_identity"
SIGNING_SETTING = "signing_key"  # Ed25519 private key, hex, inside the encrypted library.db
AUTHOR_SETTING = "display_name"


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


def signing_key(service: LibraryService) -> bytes:
    """This library's Ed25519 private key, made (and audited) the first time it is needed."""
    with service.read() as repos:
        stored = repos.settings.get(SIGNING_SETTING)
    if not stored:
        with service.edit() as repos:
            stored = repos.settings.get(SIGNING_SETTING)
            if not stored:
                stored = new_signing_key().hex()
                repos.settings.set(SIGNING_SETTING, stored)
                repos.audit.append(AuditEvent("key_create", "library signing key"))
    return bytes.fromhex(stored)


def signing_public_key(service: LibraryService) -> bytes:
    return public_of(signing_key(service))


def own_fingerprint(service: LibraryService) -> str:
    return fingerprint(signing_public_key(service))


def contact_card(service: LibraryService) -> str:
    """One copyable line with both public keys: what the other side pastes into `contact add`."""
    return card_text(public_key(service), signing_public_key(service))


def sender(service: LibraryService) -> Sender:
    """How this library names itself in the bundles it signs."""
    with service.read() as repos:
        name = (repos.settings.get(AUTHOR_SETTING) or "").strip()
    try:
        name = text_rules.single_line(name, "a display name", text_rules.MAX_NAME_LENGTH)
    except InvalidInput:
        name = ""
    return Sender(public_key(service), signing_public_key(service), name)


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


def add_contact(service: LibraryService, display_name: str, card: str,
                role: ContactRole | str = ContactRole.SUPERVISOR) -> Contact:
    """Add a contact from their card (`vigcard1:…`), or from a bare `age1…` key (legacy: their signing
    key is pinned on the first bundle accepted from them)."""
    name = text_rules.single_line(display_name or "", "a contact's name", text_rules.MAX_NAME_LENGTH)
    if not name:
        raise InvalidInput("a contact needs a display name")
    try:
        parsed = parse_card(card)
    except BundleRefused as err:
        raise InvalidInput(str(err)) from None
    key = validate_public_key(parsed.recipient)
    if key == public_key(service) or parsed.signing_key == signing_public_key(service):
        raise InvalidInput("that is this library's own public key")
    raw = parsed.signing_key
    signing = None if raw is None else encode_key(raw)
    with service.edit() as repos:
        if raw is not None and repos.contacts.by_signing_key(encode_key(raw)) is not None:
            raise InvalidInput(f"a contact with the signing key {fingerprint(raw)} already exists")
        contact = repos.contacts.add(Contact(display_name=name, public_key=key, role=parse_role(role),
                                             signing_key=signing))
        repos.audit.append(AuditEvent("contact_add", f"contact {contact.id} {key}"
                                      + (f" signing {fingerprint(raw)}" if raw is not None else "")))
    service.emit(Change(ChangeKind.CONTACT, ChangeAction.ADDED, (contact.saved_id,)))
    return contact


def contact_fingerprint(contact: Contact) -> str | None:
    """The contact's signing-key fingerprint, or None while a legacy contact's key is not pinned."""
    if contact.signing_key is None:
        return None
    from vigstudio.bundle.signing import decode_key

    return fingerprint(decode_key(contact.signing_key))


def find_contact(service: LibraryService, who: str | int) -> Contact:
    """A contact by id or by display name (case-insensitive), or `InvalidInput`."""
    contacts = list_contacts(service)
    text = str(who).strip()
    if isinstance(who, int) or text.isdigit():
        found = [c for c in contacts if c.id == int(text)]
    else:
        found = [c for c in contacts if c.display_name.casefold() == text.casefold()]
    if len(found) != 1:
        what = "no contact" if not found else "more than one contact"
        raise InvalidInput(f"{what} named {text[:60]!r}: see `vigstudio contact list`" if not isinstance(who, int)
                           else f"unknown contact: {who}")
    return found[0]


def list_contacts(service: LibraryService) -> list[Contact]:
    with service.read() as repos:
        return repos.contacts.list()


def remove_contact(service: LibraryService, contact_id: int) -> None:
    with service.edit() as repos:
        contact = repos.contacts.get(contact_id)
        repos.contacts.delete(contact_id)
        repos.audit.append(AuditEvent("contact_remove", f"contact {contact_id} {contact.public_key}"))
    service.emit(Change(ChangeKind.CONTACT, ChangeAction.DELETED, (contact_id,)))
