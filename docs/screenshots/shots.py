"""What the screenshot scripts in this folder share. Import it before anything that imports PySide6 or
vigstudio: it points the settings, data and cache folders at a throw-away temporary folder and makes
libraries with fast key derivation, so nothing of the user's own VIG Studio is read or written.

    import shots  # first: the isolated environment
    from vigstudio... import ...

    steps = shots.Steps(app, settle_ms=900)
    steps.then(open_something, 1500)
    steps.then(lambda: shots.shoot("something"), 100)
    steps.start()
    app.exec()

`shoot` captures the whole X screen with ImageMagick's `import -window root` (the scripts run under
Xvfb, which has no window manager, so no title bars), cropped to a window when one is given.
"""

from __future__ import annotations

import atexit
import io
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="vig-shots-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(TMP / _var.lower())
os.environ["VIGSTUDIO_KDF_PROFILE"] = "fast"
atexit.register(shutil.rmtree, TMP, ignore_errors=True)  # the sample libraries and settings go too

PASSPHRASE = "screenshot library passphrase"
SAMPLE_LABEL = "DEMO - generated sample, no real family"  # drawn by OpenCV into the video: ASCII only
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent


def shoot(name: str, window=None) -> None:
    """Capture the X screen into OUT/name.png, cropped to `window` (with a small margin) when given."""
    OUT.mkdir(parents=True, exist_ok=True)
    command = ["import", "-window", "root"]
    if window is not None:
        g = window.frameGeometry().adjusted(-12, -12, 12, 12)
        command += ["-crop", f"{g.width()}x{g.height()}+{max(0, g.x())}+{max(0, g.y())}", "+repage"]
    subprocess.run([*command, str(OUT / f"{name}.png")], check=True)
    print("wrote", OUT / f"{name}.png")


def sample_video(file_obj, seconds: float) -> None:
    """A generated sample recording (two soft shapes, no real family) written into `file_obj`."""
    from vigstudio.media.sample import make_sample_video

    make_sample_video(file_obj, seconds=seconds, label=SAMPLE_LABEL)


def sample_recording(service, code: str, seconds: float, name: str):
    """Import a generated sample recording of `seconds` into case `code`, as if it were the file `name`."""
    from vigstudio.app.importing import import_recording

    video = io.BytesIO()
    sample_video(video, seconds)
    video.seek(0)
    return import_recording(service, code, video, file_name=name)


class Steps:
    """The real windows driven one step at a time from timers, each step given time to settle (to
    decode, lay out and paint) before the next; the application quits after the last one."""

    def __init__(self, app, settle_ms: int):
        self.app = app
        self.settle_ms = settle_ms
        self._steps: list = []

    def then(self, fn, delay: int | None = None) -> None:
        self._steps.append((fn, self.settle_ms if delay is None else delay))

    def then_when(self, condition, timeout_ms: int = 10_000, then_ms: int = 300) -> None:
        """Wait (at most `timeout_ms`) until `condition()` holds, e.g. a picture decoded; then settle."""
        from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

        def wait() -> None:
            clock = QElapsedTimer()
            clock.start()
            loop = QEventLoop()
            poll = QTimer()
            poll.timeout.connect(lambda: loop.quit() if condition() or clock.elapsed() > timeout_ms else None)
            poll.start(50)
            loop.exec()
            poll.stop()
            if not condition():
                raise TimeoutError(f"still waiting after {timeout_ms} ms for {condition}")

        self.then(wait, then_ms)

    def start(self, delay: int = 300) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(delay, self._run_next)

    def _run_next(self) -> None:
        from PySide6.QtCore import QTimer

        if not self._steps:
            self.app.quit()
            return
        fn, delay = self._steps.pop(0)
        try:
            fn()
        except Exception:  # a broken step would otherwise leave the event loop waiting for ever
            traceback.print_exc()
            self.app.exit(1)
            return
        QTimer.singleShot(delay, self._run_next)
