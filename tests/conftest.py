"""Shared test set-up: headless Qt, fast key derivation, temp folders only."""

import os

# Before anything imports Qt: render offscreen, and never touch the user's real settings/logs.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New libraries made by tests use cheap Argon2id parameters (stored in the key file like any other),
# so hundreds of libraries can be made per run. Production libraries are tuned to ~0.5 s.
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"

import pytest  # noqa: E402

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
