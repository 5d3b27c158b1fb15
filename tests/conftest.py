"""Shared test set-up: headless Qt, fast key derivation, temp folders only."""

import os

# Before anything imports Qt: render offscreen, and never touch the user's real settings/logs.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New libraries made by tests use cheap Argon2id parameters (stored in the key file like any other),
# so hundreds of libraries can be made per run. Production libraries are tuned to ~0.5 s.
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"

import pytest

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point config/log/data dirs (platformdirs honours XDG_*) into a temp folder per test."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("VIGSTUDIO_PASSPHRASE", raising=False)
    yield


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def opened(tmp_path, passphrase):
    """(practice, supervisor library, supervision session node): a practitioner's session opened
    from its bundle in a supervisor's library (tests/bundle/support.open_in_supervisor)."""
    yield from _opened_in_supervisor(tmp_path, passphrase, with_review=False)


@pytest.fixture
def opened_with_review(tmp_path, passphrase):
    """As `opened`, the bundle carrying the cycle's shared-review recording too."""
    yield from _opened_in_supervisor(tmp_path, passphrase, with_review=True)


def _opened_in_supervisor(tmp_path, passphrase, *, with_review: bool):
    from tests.bundle.support import open_in_supervisor

    practice, supervisor, node = open_in_supervisor(tmp_path, passphrase, with_review=with_review)
    yield practice, supervisor, node
    practice.service.close()
    supervisor.close()
