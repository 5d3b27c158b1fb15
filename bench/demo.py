"""How long making the demo library takes (the issue's goal: under 5 s, while the user waits), by
stage, against a baseline measured in the same run: a plain library holding one imported copy of the
same generated video (what the demo was before it had clips, stills, comments and a WWW
intervention). Run by hand: `.venv/bin/python bench/demo.py [--runs 3]`."""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from vigstudio.app import demo
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.media.sample import make_sample_video


def stages(folder: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    service = LibraryService()
    service.create(folder / "demo", demo.DEMO_PASSPHRASE, kdf=demo.DEMO_KDF)
    lap("create library")
    add_case(service, demo.DEMO_CASE_CODE, is_demo=True)
    video = io.BytesIO()
    make_sample_video(video, seconds=demo.DEMO_SECONDS, preset="ultrafast")
    lap("generate video")
    video.seek(0)
    recording = import_recording(service, demo.DEMO_CASE_CODE, video, file_name=demo.DEMO_FILE_NAME)
    lap("import (encrypt, thumbnails, waveform)")
    demo.add_demo_review(service, recording)
    lap("clips, stills, comments, WWW")
    service.close()
    times["total"] = sum(times.values())
    return times


def whole(folder: Path) -> float:
    start = time.perf_counter()
    service = LibraryService()
    demo.create_demo_library(service, folder / "whole")
    service.close()
    return time.perf_counter() - start


def baseline(folder: Path) -> float:
    """The same video made as the old demo made it (veryfast) and imported into a plain library."""
    start = time.perf_counter()
    service = LibraryService()
    service.create(folder / "plain", demo.DEMO_PASSPHRASE, kdf=demo.DEMO_KDF)
    add_case(service, "B-1")
    video = io.BytesIO()
    make_sample_video(video, seconds=demo.DEMO_SECONDS)
    video.seek(0)
    import_recording(service, "B-1", video)
    service.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, seconds in stages(folder).items():
                runs.setdefault(name, []).append(seconds)
            runs.setdefault("create_demo_library (as the app calls it)", []).append(whole(folder))
            runs.setdefault("baseline: plain library + the same video", []).append(baseline(folder))
    base = statistics.median(runs["baseline: plain library + the same video"])
    for name, values in runs.items():
        median = statistics.median(values)
        print(f"{name:45s} {median:6.2f} s  (min {min(values):.2f}, max {max(values):.2f})  "
              f"{median / base:4.2f}x baseline")


if __name__ == "__main__":
    main()
