"""The error log: rotating file in the user log folder, ids only, exception messages and secrets withheld."""

from __future__ import annotations

import logging
import stat

import pytest

from vigstudio.app import logging_setup
from vigstudio.app.logging_setup import SECRETS, configure_logging, log_unexpected, shutdown_logging


@pytest.fixture
def log_file(tmp_path):
    shutdown_logging()
    SECRETS.clear()
    path = configure_logging()
    yield path
    shutdown_logging()
    SECRETS.clear()


def _read(path) -> str:
    for handler in logging.getLogger("vigstudio").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_lives_in_the_user_log_folder_and_is_private(log_file, tmp_path):
    # conftest points XDG_STATE_HOME (platformdirs' log root on Linux) into a temp folder.
    assert log_file is not None
    assert log_file.parent == logging_setup.log_dir()
    assert str(log_file).startswith(str(tmp_path.parent))
    logging.getLogger("vigstudio.test").error("recording %s could not be decoded", 12)
    assert "recording 12 could not be decoded" in _read(log_file)
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) & 0o077 == 0


# Private details reach the exceptions through variables, as in the app (tracebacks show source lines).
PRIVATE_PATH = "/home/" + "jane-smith" + "/baby-first-bath.mp4"
PRIVATE_NOTE = "Mum said the baby " + "cried all night"
PRIVATE_NAME = "Jane " + "Smith"


def test_unexpected_errors_keep_the_traceback_but_not_the_message(log_file):
    def fails_with_private_detail():
        note = PRIVATE_NOTE  # noqa: F841 (a local that must not be logged)
        raise RuntimeError(f"could not parse {PRIVATE_PATH}")

    try:
        fails_with_private_detail()
    except RuntimeError as exc:
        reference = log_unexpected(exc, "command import")
    text = _read(log_file)
    assert f"ref {reference}" in text
    assert "fails_with_private_detail" in text  # the traceback frames are there for the developer
    assert "RuntimeError: <message withheld>" in text
    assert "jane-smith" not in text and "cried all night" not in text


def test_chained_exception_messages_are_withheld_too(log_file):
    try:
        try:
            raise KeyError(PRIVATE_NAME)
        except KeyError as inner:
            raise ValueError(f"family {PRIVATE_NAME}") from inner
    except ValueError as exc:
        log_unexpected(exc, "test")
    text = _read(log_file)
    assert "Smith" not in text
    assert "KeyError: <message withheld>" in text and "ValueError: <message withheld>" in text


def test_a_record_containing_a_registered_passphrase_is_rewritten(log_file):
    secret = "correct horse battery staple"
    SECRETS.add_secret(secret)
    logging.getLogger("vigstudio.test").warning("opening with %s failed", secret)
    logging.getLogger("vigstudio.test").warning("a harmless line about case F-014")
    text = _read(log_file)
    assert secret not in text
    assert "withheld because it contained a secret" in text
    assert "case F-014" in text


def test_unwritable_log_folder_means_no_log_rather_than_a_crash(tmp_path):
    shutdown_logging()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    try:
        assert configure_logging(blocker / "logs") is None
    finally:
        shutdown_logging()


def test_the_filter_keeps_no_plain_hash_of_a_passphrase_and_forgets_it_at_close(tmp_path, passphrase):
    import hashlib

    from vigstudio.app.library import LibraryService

    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    assert SECRETS.holds_secrets and SECRETS.contains_secret(f"x{passphrase}y")
    kept = {d for digests in SECRETS._digests.values() for d in digests}
    assert hashlib.sha256(passphrase.encode()).digest() not in kept
    assert hashlib.sha256(passphrase.encode()).digest()[:16] not in kept
    service.close()
    assert not SECRETS.holds_secrets and not SECRETS.contains_secret(passphrase)
