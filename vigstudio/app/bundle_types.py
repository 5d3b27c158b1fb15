"""What making and opening a bundle report, and the rules the session and feedback bundles share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vigstudio.domain.errors import InvalidInput

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


def check_protection(recipients: Sequence[str], passphrase: str | None) -> None:
    if recipients and passphrase:
        raise InvalidInput("encrypt a bundle to public keys or to a passphrase, not both "
                           "(the age format allows a passphrase only on its own)")
    if not recipients and not passphrase:
        raise InvalidInput("a bundle needs at least one recipient (age1…) or a passphrase")
