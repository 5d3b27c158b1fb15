"""Where the review's windows go with one and with two (virtual) screens: a child process per screen
set-up, each with Qt's offscreen platform given that many screens (its JSON screen configuration)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
          "dpr": 1}
TV = {"name": "tv", "x": 1366, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
      "dpr": 1}


def run_review(tmp_path: Path, screens: list[dict]) -> dict:
    (tmp_path / "screens.json").write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen:configfile=screens.json",  # (relative: see cwd)
           "PYTHONPATH": str(ROOT), "VIGSTUDIO_KDF_PROFILE": "fast"}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "review_screens_child.py")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, done.stderr[-2000:]
    return json.loads(lines[-1].removeprefix("REPORT "))


@pytest.mark.parametrize("count", [1, 2])
def test_the_screens_decide_where_the_family_and_the_presenter_are(tmp_path, count):
    report = run_review(tmp_path, [LAPTOP, TV][:count])
    assert report["screens"] == ["laptop", "tv"][:count] and report["primary"] == "laptop"
    family, presenter = report["family"], report["presenter"]
    assert family["visible"] and family["full_screen"]
    assert not report["strip_visible"]  # the strip waits for P
    if count == 1:
        # the family's view fills the only screen; no presenter window anywhere behind it
        assert report["one_screen"] and family["screen"] == "laptop"
        assert presenter is None
    else:
        # the family watches the TV; the laptop is the presenter
        assert not report["one_screen"] and family["screen"] == "tv"
        assert presenter["visible"] and presenter["screen"] == "laptop" and presenter["maximised"]
    assert report["rearranged_on_screen_change"]
    assert report["family_after"] == family
