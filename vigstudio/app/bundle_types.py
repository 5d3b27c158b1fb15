"""What making and opening a bundle report, and the rules the session and feedback bundles share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.app import keys
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import Contact
from vigstudio.domain.passphrases import check_passphrase

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

ORIGIN_ASSET = "origin"  # JSON kept with an imported recording: which clip / review recording it was


@dataclass(frozen=True)
class BundleMade:
    path: Path
    uid: str
    kind: str
    clips: int = 0
    stills: int = 0
    review_recordings: int = 0
    comments: int = 0


@dataclass(frozen=True)
class BundleOpened:
    uid: str
    kind: str
    case_code: str
    session_id: int | None = None
    clips: int = 0
    stills: int = 0
    review_recordings: int = 0
    comments_added: int = 0
    comments_skipped: int = 0  # already in the library (sent in an earlier feedback bundle)
    sender: str = ""  # the contact it came from (display name)


def check_protection(recipients: Sequence[str], passphrase: str | None) -> None:
    if recipients and passphrase:
        raise InvalidInput("encrypt a bundle to public keys or to a passphrase, not both "
                           "(the age format allows a passphrase only on its own)")
    if not recipients and not passphrase:
        raise InvalidInput("a bundle needs at least one recipient (age1…) or a passphrase")
    if passphrase:
        check_passphrase(passphrase)  # the library's own rule: 10 characters, not among the commonest


def addressed(service: LibraryService, recipients: Sequence[str], passphrase: str | None,
              to: Sequence[str | int]) -> tuple[list[str], list[Contact]]:
    """(age recipients, contacts named by `to`) for a bundle, checked before anything is made: with
    public keys the contacts' keys join the recipients; with a passphrase they say whom it is for."""
    recipients = [keys.validate_public_key(r) for r in recipients]
    contacts = [keys.find_contact(service, who) for who in to]
    if not passphrase:
        recipients += [c.public_key for c in contacts if c.public_key not in recipients]
    check_protection(recipients, passphrase)
    return recipients, contacts
