"""Backup and restore of a whole library (the use cases the CLI and the GUI call).

A backup is taken while the library is open and stays encrypted (see `vigstudio.store.backup`); it
is audited. A restore checks the passphrase against the backup's key file before writing anything,
unpacks it, and records a "restore" event that re-anchors the audit log: the restored library.db is
legitimately older than the anchor it replaces, and must not be reported as rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vigstudio.app.library import LibraryService
from vigstudio.app.logging_setup import SECRETS
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.domain.model import AuditEvent
from vigstudio.store import keys
from vigstudio.store.backup import BackupInfo, read_backup_info, restore_files, write_backup


@dataclass(frozen=True)
class RestoreResult:
    library: Path
    backup: BackupInfo
    replaced_to: Path | None  # where a library that was in the way was moved (never deleted)


def backup(service: LibraryService, out: Path | str, progress: Progress | ProgressCallback | None = None) -> BackupInfo:
    """Write a consistent, encrypted backup of the open library to `out`."""
    progress = as_progress(progress, "backup")
    info = write_backup(service.library, Path(out), progress)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("backup", f"snapshot at audit event {info.audit_counter}, "
                                                f"{info.containers} recordings"))
    return info


def backup_info(backup_file: Path | str) -> BackupInfo:
    """What a backup file holds (read from its manifest); a file that is not a backup is refused
    with a one-line message before any passphrase is asked for."""
    return read_backup_info(Path(backup_file))


def restore(backup_file: Path | str, to: Path | str, passphrase: str, *, force: bool = False,
            progress: Progress | ProgressCallback | None = None) -> RestoreResult:
    """Restore `backup_file` into the folder `to` (see `restore_files` for what may be in the way)."""
    SECRETS.add_secret(passphrase)
    progress = as_progress(progress, "restore")
    backup_file, to = Path(backup_file), Path(to).absolute()
    info = read_backup_info(backup_file)
    # The passphrase must open the backup's key file before anything is written.
    keys.unwrap_keyfile_bytes(to / "library.key", info.key_file, passphrase)
    replaced_to = restore_files(backup_file, to, force=force, progress=progress.part(0.0, 0.9))
    service = LibraryService()
    service.open(to, passphrase, audit_now=False)
    try:
        with service.edit(reanchor=True) as repos:
            repos.audit.append(AuditEvent(
                "restore", f"backup made {info.created:%Y-%m-%d %H:%M} UTC, ending at audit event "
                           f"{info.audit_counter}"))
    finally:
        service.close()
    progress(1.0, "restored")
    return RestoreResult(to, info, replaced_to)
