"""The audit log as the app shows it: list, verify the HMAC chain and its anchor, export as CSV.

Events hold ids and pseudonymous codes only, so the CSV may be written to disk as it is. `verify`
checks each row's HMAC link (an edited, inserted or removed row) and that library.db's newest event
is the one `audit.anchor` records (rows cut off the end, an older library.db or an older anchor put
back). It cannot tell when library.db and audit.anchor were both put back to an older, consistent pair.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import AuditEvent

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

CSV_HEADER = ["id", "at", "action", "object"]


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: list[int]  # ids of rows edited, inserted or following a removed row
    anchor_problem: str | None = None  # library.db and audit.anchor disagree (truncation, rollback)

    @property
    def ok(self) -> bool:
        return not self.broken and self.anchor_problem is None

    def message(self) -> str:
        if self.ok:
            return f"audit log intact ({self.checked} events, anchored)"
        parts = []
        if self.broken:
            shown = ", ".join(map(str, self.broken[:10])) + (" …" if len(self.broken) > 10 else "")
            parts.append(f"{len(self.broken)} of {self.checked} events fail the hash chain (ids {shown})")
        if self.anchor_problem:
            parts.append(f"rolled back or truncated: {self.anchor_problem}")
        return "audit log altered: " + "; ".join(parts)


def list_events(service: LibraryService, limit: int | None = None) -> list[AuditEvent]:
    """Oldest first; with `limit`, only the newest `limit`."""
    with service.read() as repos:
        return repos.audit.list(limit=limit)


def verify(service: LibraryService) -> ChainReport:
    with service.read() as repos:
        broken = repos.audit.verify_chain()
        checked = len(repos.audit.list())
    return ChainReport(checked, broken, service.library.anchor_problem())


def to_csv(events: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in events:
        writer.writerow([e.id, e.at.isoformat(), e.action, e.object])
    return out.getvalue()


def export_csv(service: LibraryService, path: Path | str) -> int:
    """Write the whole log as CSV (atomically); returns the number of events."""
    events = list_events(service)
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInput(f"cannot write {target}: the folder does not exist")
    partial = target.parent / f".{target.name}.partial"
    try:
        with open(partial, "w", encoding="utf-8", newline="") as f:
            f.write(to_csv(events))
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(events)
