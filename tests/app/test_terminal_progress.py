"""The command line's progress bar: drawn only on a terminal, cleared at the end."""

from __future__ import annotations

import io

from vigstudio.app.terminal_progress import TerminalBar


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_is_drawn_on_a_terminal_and_cleared():
    terminal = FakeTerminal()
    bar = TerminalBar(terminal, prefix="1/2 ")
    bar(0.0, "encrypting")
    bar(1.0, "imported")
    text = terminal.getvalue()
    assert "[" + "#" * 10 in text and "100% 1/2 imported" in text
    bar.finish()
    assert terminal.getvalue().endswith("\r")


def test_nothing_is_written_when_the_stream_is_not_a_terminal():
    pipe = io.StringIO()
    bar = TerminalBar(pipe)
    bar(0.5, "encrypting")
    bar.finish()
    assert pipe.getvalue() == ""
