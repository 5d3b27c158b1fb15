"""GUI-thread stalls while long work runs: the window must never freeze (issue #5: no pause over 100 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_stalls.py FILE [--play 10]

Drives the real windows in a throw-away library (fast key derivation, temporary settings): the
library window imports FILE through its background task (copy, encryption, index, thumbnails and
waveform), then the editor opens the new session, plays `--play` seconds at 1x and steps 30 frames
back and 30 forward by its shortcuts' actions. A 5 ms timer on the GUI thread records every gap
between its ticks; the longest gaps of each stage are printed against the same timer's gaps while
the app idles, measured in the same run (an offscreen platform draws into memory, so painting costs
about what it does on screen; no sound device here, so playback runs on the wall clock).
Goal: no gap over 100 ms while the import, the editor's loading or playback runs. Building or
closing a window is one step on the GUI thread, printed for information.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="vig-stalls-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(TMP / var.lower())
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402

from vigstudio.app.cases import add_case  # noqa: E402
from vigstudio.app.library import LibraryService  # noqa: E402
from vigstudio.app.tree import library_tree  # noqa: E402
from vigstudio.ui.app import make_application  # noqa: E402
from vigstudio.ui.background import running_tasks  # noqa: E402
from vigstudio.ui.editor import EditorWindow  # noqa: E402
from vigstudio.ui.main_window import MainWindow  # noqa: E402

TICK_MS = 5
GOAL_MS = 100


class GapRecorder:
    """Gaps between the ticks of a fast timer on the GUI thread, kept per stage."""

    def __init__(self):
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.stage = "idle"
        self.gaps: dict[str, list[int]] = {}
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.setdefault(self.stage, []).append(now - self.last)
        self.last = now

    def enter(self, stage: str) -> None:
        self._tick()
        self.stage = stage


def spin(seconds: float, until=None) -> None:
    """Run the event loop for `seconds`, or until `until()` is true (checked every tick)."""
    loop, deadline = QEventLoop(), time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, TICK_MS)


def report(gaps: dict[str, list[int]]) -> None:
    print(f"{'stage':28}{'ticks':>7}{'median':>8}{'p99':>7}{'max':>7}   goal: max <= {GOAL_MS} ms")
    for stage, values in gaps.items():
        values = sorted(values)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        verdict = ("" if stage == "idle" else "(one step: not long work)" if "one step" in stage
                   else "ok" if values[-1] <= GOAL_MS else "MISSED")
        print(f"{stage:28}{len(values):7}{statistics.median(values):6.0f}ms{p99:5.0f}ms{values[-1]:5.0f}ms   "
              f"{verdict}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--play", type=float, default=10.0, help="seconds of playback in the editor")
    args = parser.parse_args(argv)

    app = make_application()
    service = LibraryService()
    service.create(TMP / "Clinic library", "stalls benchmark passphrase")
    add_case(service, "F-001", referral="health_visitor")
    window = MainWindow(service)
    window.resize(1280, 800)
    window.show()
    spin(1.0)
    gaps = GapRecorder()
    spin(2.0)  # idle baseline

    gaps.enter("import (whole)")
    started = time.monotonic()
    task = window.import_files([str(args.file)], "F-001")
    if task is None:
        print("the import did not start")
        return 1
    spin(600, until=lambda: not running_tasks())
    imported_s = time.monotonic() - started
    gaps.enter("after import")
    spin(1.0)
    recording = library_tree(service)[0].interventions[0].cycles[0].sessions[0].recordings[0]

    gaps.enter("editor built (one step)")
    editor = EditorWindow(service, recording.session_id)
    editor.resize(1366, 768)
    editor.show()
    gaps.enter("editor loading")
    spin(3.0)
    gaps.enter(f"playing {args.play:.0f} s at 1x")
    editor.playback.toggle()
    spin(args.play)
    editor.playback.pause()
    gaps.enter("30 steps back, 30 forward")
    for delta in [-1] * 30 + [1] * 30:
        editor.playback.step(delta)
        spin(0.05)
    spin(0.5)
    gaps.enter("closing both windows (one step)")
    editor.close()
    window.close()
    spin(0.5)
    gaps.timer.stop()
    service.close()
    print(f"\n{args.file.name}: import took {imported_s:.1f} s through the library window")
    report(gaps.gaps)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
