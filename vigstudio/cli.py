"""Command line: the same app use cases the GUI calls (filled in by the foundation work)."""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print("vigstudio: command line not built yet", file=sys.stderr)
    return 2
