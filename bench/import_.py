"""Import benchmark: the app's real import against a plain encrypted copy of the same bytes, same run.

    .venv/bin/python bench/import_.py FILE [--repeat 1]

Times `LibraryService.import_recording` (probe + encrypted copy + read-back verify + index check +
thumbnails + waveform + commit) into a fresh library, and `ContainerStore.create` alone (the plain
SQLCipher copy: write + verify, same chunking and page size) on the same file. Prints the ratio
(goal <= 2) and the split of the import by its progress labels. The two alternate (copy, import,
copy, ...) so a busy machine slows both alike; the file is read once before, so both find it in the
page cache. The library's passphrase derivation happens when the library is made and is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.recordings import delete_recording

try:
    from bench.playback import peak_rss_mb, reset_peak_rss
except ImportError:  # run as a script from bench/
    from playback import peak_rss_mb, reset_peak_rss  # type: ignore[no-redef]

PASSPHRASE = "bench passphrase, not secret"
CASE = "BENCH-1"


class StageClock:
    """Progress callback that notes when each label was first and last seen (wall-clock seconds)."""

    def __init__(self):
        self.start = time.perf_counter()
        self.first: dict[str, float] = {}
        self.order: list[str] = []

    def __call__(self, fraction: float, label: str) -> None:
        now = time.perf_counter() - self.start
        if label not in self.first:
            self.first[label] = now
            self.order.append(label)

    def split(self, total: float) -> list[tuple[str, float]]:
        """(label, seconds until the next label began), in the order seen."""
        marks = [self.first[label] for label in self.order] + [total]
        return [(label, marks[k + 1] - marks[k]) for k, label in enumerate(self.order)]


def plain_copy_seconds(service: LibraryService, path: Path) -> float:
    containers = service.library.containers
    start = time.perf_counter()
    name, _sha, _key = containers.create(path)
    elapsed = time.perf_counter() - start
    containers.delete(name)
    return elapsed


def import_seconds(service: LibraryService, path: Path, cold_probe: bool = True) -> tuple[float, StageClock]:
    if cold_probe:
        # A recording is probed once per import; forget an earlier run's probe so each run pays it.
        from vigstudio.app import importing

        importing._recent_probes.clear()
    stages = StageClock()
    start = time.perf_counter()
    recording = import_recording(service, CASE, path, progress=stages)
    elapsed = time.perf_counter() - start
    delete_recording(service, recording.id)
    return elapsed, stages


def report(path: Path, repeat: int = 1, workdir: Path | None = None) -> dict:
    """Print and return the figures; the library is made in a temporary folder under `workdir`."""
    path.read_bytes()  # into the page cache, so the first timed reader is not penalised
    size_mb = path.stat().st_size / 2**20
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        service = LibraryService()
        service.create(Path(tmp) / "library", PASSPHRASE)
        try:
            add_case(service, CASE)
            copies, imports, splits = [], [], []
            reset_peak_rss()
            for _ in range(repeat):
                copies.append(plain_copy_seconds(service, path))
                seconds, stages = import_seconds(service, path)
                imports.append(seconds)
                splits.append(stages.split(seconds))
            peak = peak_rss_mb()
        finally:
            service.close()
    copy_s, import_s = statistics.median(copies), statistics.median(imports)
    ratio = import_s / copy_s
    print(f"\nimport of {path.name} ({size_mb:.0f} MB), median of {repeat}:")
    print(f"plain SQLCipher copy (ContainerStore.create: write + verify) {copy_s:.2f} s "
          f"({size_mb / copy_s:.0f} MB/s); LibraryService.import_recording {import_s:.2f} s")
    print(f"import / plain copy = {ratio:.2f}x (goal <= 2): {'ok' if ratio <= 2 else 'MISSED'}; "
          f"peak RSS {peak:.0f} MB")
    split = splits[len(splits) // 2]
    print("import split by progress label: " + ", ".join(f"{label} {s:.2f} s" for label, s in split))
    return {"copy": copy_s, "import": import_s, "ratio": ratio, "split": split, "peak_rss_mb": peak}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    for path in args.files:
        report(path, args.repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
