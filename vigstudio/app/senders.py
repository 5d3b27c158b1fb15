"""Who sent a bundle, and whether this library trusts them: the contacts are the trust list.

The bundle layer has already checked the signature against the signing key the manifest names; here
that key is looked up among the contacts:

- a contact with that signing key: trusted;
- a legacy contact (added by its `age1…` key alone) whose age key the manifest names: the key is pinned
  to that contact, but only when the user accepts it after seeing its fingerprint;
- a contact whose age key the manifest names but with another signing key: refused (forged, or the
  contact's keys changed: the user removes and re-adds them knowingly);
- nobody: refused with the fingerprint (`UnknownSender`), unless the user accepts the sender, who then
  becomes a contact.

Pinning or adding the contact happens in the import's own transaction (`TrustedSender.commit`), so a
refused import leaves the contacts as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigstudio.app import keys
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.bundle import BundleRefused, OpenedBundle, Sender, parse_recipient
from vigstudio.bundle.signing import encode_key
from vigstudio.domain import text as text_rules
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent, BundleKind, BundleRecipient, Contact, ContactRole

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos


@dataclass(frozen=True)
class AcceptSender:
    """The user's explicit yes to a sender who is not (yet) a trusted contact. `fingerprint`, when
    given, must be the one the user was shown (the file may have changed since)."""

    name: str | None = None
    fingerprint: str | None = None


class UnknownSender(BundleRefused):
    """The bundle is properly signed, by someone who is not a contact (or a legacy contact whose
    signing key is not pinned yet). Nothing was imported."""

    def __init__(self, sender: Sender, kind: str, legacy: Contact | None):
        self.sender, self.kind, self.legacy = sender, kind, legacy
        who = f"your contact {legacy.display_name!r}, whose signing key is not known yet" if legacy else \
            f"{sender.name!r}, who is not one of your contacts" if sender.name else "someone who is not one of your contacts"
        super().__init__(f"this {kind} bundle is signed by {who} (fingerprint {sender.fingerprint}): check the "
                         "fingerprint with them (in person or by phone) and accept the sender to open it; "
                         "nothing was imported")

    @property
    def fingerprint(self) -> str:
        return self.sender.fingerprint

    @property
    def suggested_name(self) -> str:
        return self.legacy.display_name if self.legacy else _clean_name(self.sender.name) or \
            f"contact {self.sender.fingerprint[:5]}"


def _clean_name(name: str) -> str:
    try:
        return text_rules.single_line(name, "a name", text_rules.MAX_NAME_LENGTH)
    except InvalidInput:
        return ""


@dataclass
class TrustedSender:
    """A sender this import may go ahead with; `commit` records a newly accepted or pinned contact."""

    sender: Sender
    contact: Contact | None = None  # already trusted
    pin: Contact | None = None  # legacy contact whose signing key is pinned by this import
    new: Contact | None = None  # contact added by this import
    committed: ChangeAction | None = None  # what `commit` did to the contacts, for `announce`

    @property
    def name(self) -> str:
        found = self.contact or self.pin or self.new
        return found.display_name if found else self.sender.name

    def sent_to_them(self, sent: BundleRecipient) -> bool:
        """Whether a session bundle recorded as sent to `sent` went to this sender."""
        found = self.contact or self.pin
        if found is not None and sent.contact_id == found.id:
            return True
        return sent.recipient == (found.public_key if found else self.sender.recipient)

    def commit(self, repos: Repos) -> Contact:
        fp = self.sender.fingerprint
        if self.pin is not None:
            self.pin.signing_key = encode_key(self.sender.signing_key)
            repos.contacts.update(self.pin)
            repos.audit.append(AuditEvent("contact_pin", f"contact {self.pin.id} signing {fp}"))
            self.contact, self.pin, self.committed = self.pin, None, ChangeAction.UPDATED
        elif self.new is not None:
            self.contact, self.new, self.committed = repos.contacts.add(self.new), None, ChangeAction.ADDED
            repos.audit.append(AuditEvent("contact_add", f"contact {self.contact.id} {self.contact.public_key} "
                                          f"signing {fp} (accepted from a bundle)"))
        assert self.contact is not None
        return self.contact

    def announce(self, service: LibraryService) -> None:
        """After the import committed: tell the windows a contact was added or pinned."""
        if self.committed is not None and self.contact is not None:
            service.emit(Change(ChangeKind.CONTACT, self.committed, (self.contact.saved_id,)))


def identify(service: LibraryService, opened: OpenedBundle, accept: AcceptSender | None = None) -> TrustedSender:
    """The trusted sender of a checked bundle, or `UnknownSender` / `BundleRefused`."""
    sender = opened.sender
    if sender is None:
        raise BundleRefused("the bundle carries no sender signature, so who sent it cannot be checked")
    if sender.signing_key == keys.signing_public_key(service):
        raise BundleRefused("this bundle was made from this library; open it in the library it was made for")
    with service.read() as repos:
        known = repos.contacts.by_signing_key(encode_key(sender.signing_key))
        by_age_key = repos.contacts.by_key(sender.recipient)
    if known is not None:
        return TrustedSender(sender, contact=known)
    if by_age_key is not None and by_age_key.signing_key is not None:
        raise BundleRefused(f"this bundle claims to come from your contact {by_age_key.display_name!r} but is "
                            f"signed with another key (fingerprint {sender.fingerprint}): it may be forged; "
                            "nothing was imported")
    if accept is None or (accept.fingerprint is not None and
                          "".join(accept.fingerprint.split()) != "".join(sender.fingerprint.split())):
        raise UnknownSender(sender, opened.kind, by_age_key)
    if by_age_key is not None:
        return TrustedSender(sender, pin=by_age_key)
    try:
        recipient = str(parse_recipient(sender.recipient))
    except BundleRefused:
        raise BundleRefused("the bundle does not name its sender's public key properly; nothing was imported") \
            from None
    name = _clean_name(accept.name or "") or UnknownSender(sender, opened.kind, None).suggested_name
    role = ContactRole.PRACTITIONER if opened.kind in (BundleKind.SESSION.value, BundleKind.OUTCOMES.value) \
        else ContactRole.SUPERVISOR
    return TrustedSender(sender, new=Contact(display_name=name, public_key=recipient, role=role,
                                             signing_key=encode_key(sender.signing_key)))
