"""Smoke test of a built bundle: does every part VIG Studio loads at run time work frozen?

Built by packaging/vigstudio.spec as `dist/vigstudio/vigstudio-bundle-check`, next to the app, sharing its
libraries; packaging/build.sh runs it. Everything happens in memory (no files written): Qt offscreen with
the SVG icon plugins, SQLCipher through SQLAlchemy's pysqlcipher dialect, the Alembic migrations, PyAV
encoding and decoding a few frames, and QtMultimedia. Prints one line per check; exit code 1 on failure.
Also runs from a source checkout: `.venv/bin/python packaging/bundle_check.py`.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def check_qt_and_icons() -> str:
    from PySide6.QtWidgets import QApplication

    from vigstudio.ui.icons import ACTION_ICONS, app_icon, icon, icon_dir
    from vigstudio.ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    for name in ACTION_ICONS:
        image = icon(name).pixmap(24, 24).toImage()
        if image.isNull() or not any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)):
            raise RuntimeError(f"icon {name} renders empty (SVG icon engine plugin missing?)")
    if app_icon().pixmap(16, 16).isNull():
        raise RuntimeError("app icon renders empty")
    return f"platform {app.platformName()}, {len(ACTION_ICONS)} icons from {icon_dir()}"


def check_sqlcipher() -> str:
    import sqlcipher3
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import URL

    url = URL.create("sqlite+pysqlcipher", password="x'" + "ab" * 32 + "'", database=":memory:")
    engine = create_engine(url, module=sqlcipher3)
    with engine.connect() as conn:
        version = conn.execute(text("PRAGMA cipher_version")).scalar()
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (42)"))
        if conn.execute(text("SELECT x FROM t")).scalar() != 42:
            raise RuntimeError("SQLCipher round trip failed")
    engine.dispose()
    if not version:
        raise RuntimeError("sqlcipher3 is linked against plain SQLite (no cipher_version)")
    return f"SQLCipher {version}"


def check_migrations() -> str:
    from vigstudio.store.migrate import MIGRATIONS, head_revision

    return f"alembic head {head_revision()} from {MIGRATIONS}"


def check_pyav() -> str:
    import av
    import numpy as np

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    buffer.seek(0)
    with av.open(buffer) as src:
        decoded = sum(1 for _ in src.decode(video=0))
    if decoded != 5:
        raise RuntimeError(f"PyAV decoded {decoded} of 5 frames")
    return f"PyAV {av.__version__} (FFmpeg {av.ffmpeg_version_info})"


def check_qtmultimedia() -> str:
    from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

    fmt = QAudioFormat()
    fmt.setSampleRate(48000)
    fmt.setChannelCount(2)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    outputs = len(QMediaDevices.audioOutputs())
    return f"QtMultimedia loaded ({outputs} audio outputs)"


def check_version() -> str:
    import vigstudio

    return f"vigstudio {vigstudio.__version__}, frozen={getattr(sys, 'frozen', False)}"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("version", check_version),
    ("qt+icons", check_qt_and_icons),
    ("sqlcipher", check_sqlcipher),
    ("migrations", check_migrations),
    ("pyav", check_pyav),
    ("qtmultimedia", check_qtmultimedia),
]


def main() -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            print(f"ok   {name}: {check()}")
        except Exception as exc:  # report every broken part, not just the first
            failed += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}")
            if os.environ.get("VIGSTUDIO_BUNDLE_CHECK_TRACE"):
                traceback.print_exc()
    print("bundle check: " + ("ok" if not failed else f"{failed} failed"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
