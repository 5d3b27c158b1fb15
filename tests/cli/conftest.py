"""Run the real command line in a subprocess: `python -m vigstudio ...` with the passphrase in the env."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def cli_env(passphrase: str | None = PASSPHRASE, **extra: str) -> dict[str, str]:
    env = dict(os.environ)  # already carries the per-test XDG folders from tests/conftest.py
    env.pop("VIGSTUDIO_NEW_PASSPHRASE", None)
    env["VIGSTUDIO_KDF_PROFILE"] = "fast"
    env["PYTHONPATH"] = str(ROOT)
    if passphrase is None:
        env.pop("VIGSTUDIO_PASSPHRASE", None)
    else:
        env["VIGSTUDIO_PASSPHRASE"] = passphrase
    env.update(extra)
    return env


def cli_command(*args) -> list[str]:
    return [sys.executable, "-m", "vigstudio", *map(str, args)]


def run_cli(*args, passphrase: str | None = PASSPHRASE, timeout: float = 120,
            **extra_env: str) -> subprocess.CompletedProcess:
    # A new session: no controlling terminal, so a passphrase prompt can never wait on the test's tty.
    env = cli_env(passphrase, **extra_env)
    result = subprocess.run(cli_command(*args), env=env, cwd=ROOT, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True, timeout=timeout)
    if result.returncode == 1:  # unexpected: show the log's traceback in the test report
        log = Path(env["XDG_STATE_HOME"]) / "vigstudio" / "log" / "vigstudio.log"
        if log.is_file():
            result.stderr += "\n--- log ---\n" + log.read_text()
    return result


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_main(capsys, monkeypatch):
    """`vigstudio.cli.main` in this process (same code as the subprocess, much quicker to start)."""
    from vigstudio.app.logging_setup import shutdown_logging
    from vigstudio.cli import main

    def run(*args, passphrase: str | None = PASSPHRASE) -> Outcome:
        if passphrase is None:
            monkeypatch.delenv("VIGSTUDIO_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("VIGSTUDIO_PASSPHRASE", passphrase)
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    yield run
    shutdown_logging()


def assert_refused(result, message: str) -> None:
    """Exit 2, one line `vigstudio: ...` on stderr containing `message`, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vigstudio: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def library(tmp_path) -> Path:
    path = tmp_path / "lib"
    result = run_cli("init", path)
    assert result.returncode == 0, result.stderr
    return path
