"""What the walk scripts share: the isolated environment of `shots.py`, pumping the event loop while
the real windows work, and screenshots of the whole X screen. Every step is shot into a temporary
folder (looked at while walking); the ones listed in KEEP are copied to the screenshots folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[2])]  # shots.py; the repository (tests.app support)
import shots  # noqa: E402  (first: the isolated settings folder and fast key derivation)

TMP, PASSPHRASE = shots.TMP, shots.PASSPHRASE
STEPS = TMP / "walk-steps"
STEPS.mkdir(parents=True, exist_ok=True)

# step shot -> the name it keeps under docs/screenshots
KEEP = {
    "04-new-referral-filled": "walk-referral-new-family",
    "07-case-record-decided": "walk-case-record",
    "08-pathway-dialog": "walk-pathway-next-step",
    "10-close-case": "walk-close-case",
    "11-retention-confirm": "walk-retention-confirm",
    "12-service-work": "walk-service-work",
    "13-activity-report-1": "walk-activity-report",
    "w02-attendance-cancelled": "walk-www-attendance",
    "w06-editor-coded": "walk-www-observations",
    "w07-observation-edit-dialog": "walk-www-observation-edit",
    "w08-editor-wonder": "walk-www-wonder",
    "w09-course-view": "walk-www-course-view",
    "w10-course-pdf-1": "walk-www-course-summary",
    "q03-risk-flag": "walk-questionnaire-risk-flag",
    "q05-outcomes-view": "walk-outcomes-view",
    "q06-report-dialog": "walk-outcome-report-dialog",
    "l02-import-unknown-sender": "walk-lead-import",
    "l04-report-1": "walk-lead-outcome-report",
}


def pump(ms: int = 400) -> None:
    """Let the real windows work (decode, lay out, paint, finish background tasks) for `ms`."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(name: str) -> None:
    pump(300)
    subprocess.run(["import", "-window", "root", str(STEPS / f"{name}.png")], check=True)
    print("shot", name)


def pdf_pages(pdf: Path, name: str, last: int = 1) -> None:
    """The PDF's first pages rendered by poppler at 60 dpi, to look at."""
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", str(last), str(pdf), str(STEPS / name)],
                   check=True)


def keep() -> None:
    """Copy the kept shots of this walk to the screenshots folder (`shots.OUT`)."""
    shots.OUT.mkdir(parents=True, exist_ok=True)
    for step in sorted(STEPS.glob("*.png")):
        if step.stem in KEEP:
            shutil.copy(step, shots.OUT / f"{KEEP[step.stem]}.png")
            print("kept", KEEP[step.stem])
