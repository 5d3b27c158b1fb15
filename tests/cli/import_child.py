"""A real second process for the library race tests: imports one recording, pausing at a stage.

    python -m tests.cli.import_child LIBRARY FILE CASE STAGE

When the import's progress first reports the label STAGE it prints "AT STAGE" and waits for a line
on stdin before going on; at the end it prints "DONE <recording id>". The passphrase comes from
VIGSTUDIO_PASSPHRASE, as for the CLI.
"""

from __future__ import annotations

import os
import sys

from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService


def main(library: str, file: str, case: str, stage: str) -> int:
    seen: set[str] = set()

    def progress(_fraction: float, label: str) -> None:
        if label == stage and label not in seen:
            seen.add(label)
            print(f"AT {label}", flush=True)
            sys.stdin.readline()

    service = LibraryService()
    service.open(library, os.environ["VIGSTUDIO_PASSPHRASE"])
    try:
        recording = import_recording(service, case, file, progress=progress)
    finally:
        service.close()
    print(f"DONE {recording.id}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
