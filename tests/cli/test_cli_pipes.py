"""A reader that stops early (`vigstudio observation codes | head -3`) is not an error of ours."""

from __future__ import annotations

import os
import subprocess

from tests.cli.conftest import ROOT, cli_command, cli_env


def test_a_closed_pipe_ends_the_command_quietly_with_the_sigpipe_status():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a line
    try:
        result = subprocess.run(cli_command("observation", "codes"), env=cli_env(), cwd=ROOT, stdout=write_end,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""
