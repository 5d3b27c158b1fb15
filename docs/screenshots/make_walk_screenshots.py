"""The walk: the service features driven as the people who use them, through the real windows and
widgets, at a clinic laptop's 1366×768 (needs Xvfb, ImageMagick and poppler's pdftoppm):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_walk_screenshots.py [OUT_DIR]

Four walks, each in its own process with its own throw-away library (walk/walk_*.py): the referral
pathway and the service's own work, a WWW course, a parent's questionnaire and the case's outcomes,
the lead's outcomes bundle and report. Every step is shot (into a temporary folder) and the ones
listed in walk/walk_common.py KEEP are written here as walk-*.png.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WALKS = ("walk_referral", "walk_www", "walk_outcomes", "walk_lead")


def main() -> int:
    failed = [name for name in WALKS
              if subprocess.run([sys.executable, str(HERE / "walk" / f"{name}.py"), *sys.argv[1:]],
                                cwd=HERE / "walk").returncode != 0]
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
