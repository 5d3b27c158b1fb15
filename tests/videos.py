"""Test videos generated with PyAV, each picture carrying its own frame number.

`make_video(path, ...)` encodes `frames` pictures; picture n shows n as a 3×8 grid of big black/white
blocks in the top 3/5 of the upright image (row 0 = bits 0-7, row 1 = bits 8-15, row 2 = the inverse
of row 0 as a check), plus the digits drawn with OpenCV in the bottom part for humans. The blocks
survive lossy coding, chroma subsampling and scaling, so `read_frame_number(rgb)` identifies any
decoded, upright picture (raising ValueError if the check row does not match, e.g. a picture that
was not turned upright). With `rotation=90` the *stored* picture is turned so that a player applying
the display rotation (clockwise, like a phone's `rotate` tag) shows it upright; `size` is the stored
(coded) size.

Audio (`audio="aac"` etc.): a 440 Hz tone, loud (0.5) during video frames whose number is a
multiple of 5 and quiet (0.1) otherwise; `tone_level(t, fps)` gives the expected level at t seconds.

`make_live_webm(path)` writes a MediaRecorder-like WebM (no duration, no cues).
`make_broken(kind, path)` writes the unusable files import must refuse (see BROKEN_KINDS).
Everything is small by default so a whole suite of videos encodes in a second or two.
"""

from __future__ import annotations

import io
import os
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

GRID_ROWS, GRID_COLS = 3, 8
CODE_FRACTION = 3 / 5  # top part of the picture holding the block grid
BROKEN_KINDS = (
    "empty",  # 0 bytes, named .mp4
    "text",  # a text file named .mp4
    "random",  # random bytes named .mov
    "truncated_moov",  # plain MP4 (moov at the end) cut before its moov
    "truncated_faststart",  # fast-start MP4 cut in the middle of its data
    "audio_only",  # an AAC .m4a with no video stream
)


# ---------------------------------------------------------------- pictures

def draw_frame(number: int, width: int, height: int) -> np.ndarray:
    """Upright RGB picture (height×width×3 uint8) showing `number` (0..65535)."""
    if not 0 <= number < 1 << 16:
        raise ValueError(f"frame number out of range: {number}")
    img = np.full((height, width, 3), 128, np.uint8)
    bits = [(number >> b) & 1 for b in range(16)]
    rows = [bits[:8], bits[8:], [1 - b for b in bits[:8]]]
    code_h = height * CODE_FRACTION
    for r, row in enumerate(rows):
        y0, y1 = round(r * code_h / GRID_ROWS), round((r + 1) * code_h / GRID_ROWS)
        for c, bit in enumerate(row):
            x0, x1 = round(c * width / GRID_COLS), round((c + 1) * width / GRID_COLS)
            img[y0:y1, x0:x1] = 255 if bit else 0
    text_top = round(code_h)
    img[text_top:] = 40
    scale = max(0.4, (height - text_top) / 40)
    cv2.putText(img, str(number), (max(2, width // 20), height - max(3, (height - text_top) // 5)),
                cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 0), max(1, round(scale * 2)), cv2.LINE_AA)
    return img


def read_frame_number(rgb: np.ndarray) -> int:
    """The number drawn by `draw_frame` into an upright picture, at any scale."""
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        raise ValueError(f"expected H×W×3 picture, got shape {rgb.shape}")
    height, width = rgb.shape[:2]
    gray = rgb[..., :3].astype(np.float32).mean(axis=2)
    code_h = height * CODE_FRACTION
    rows = []
    for r in range(GRID_ROWS):
        cy, hy = (r + 0.5) * code_h / GRID_ROWS, code_h / GRID_ROWS / 4
        row = []
        for c in range(GRID_COLS):
            cx, hx = (c + 0.5) * width / GRID_COLS, width / GRID_COLS / 4
            patch = gray[int(cy - hy):int(cy + hy) + 1, int(cx - hx):int(cx + hx) + 1]
            row.append(1 if patch.mean() > 128 else 0)
        rows.append(row)
    if any(a == b for a, b in zip(rows[0], rows[2], strict=True)):
        raise ValueError("no frame number in this picture (check row mismatch: wrong rotation?)")
    return sum(bit << i for i, bit in enumerate(rows[0] + rows[1]))


def tone_level(t: float, fps: float) -> float:
    """Expected amplitude of the generated tone at t seconds (see module doc)."""
    return 0.5 if int(t * fps + 1e-9) % 5 == 0 else 0.1


# ---------------------------------------------------------------- encoding

_FORMAT_BY_SUFFIX = {".mp4": "mp4", ".m4a": "mp4", ".mov": "mov", ".mkv": "matroska", ".webm": "webm",
                     ".avi": "avi", ".ts": "mpegts", ".mts": "mpegts", ".m2ts": "mpegts"}
_AUDIO_ENCODER = {"aac": "aac", "opus": "libopus", "ac3": "ac3", "pcm_s16le": "pcm_s16le",
                  "mp3": "libmp3lame"}


def _vfr_durations(frames: int, fps: Fraction) -> list[int]:
    """Irregular frame durations in milliseconds, deterministic (phone-like VFR)."""
    base = 1000 / float(fps)
    factors = np.random.default_rng(2024).choice([0.5, 0.75, 1.0, 1.0, 1.0, 1.5, 2.0], size=frames)
    return [max(1, round(base * f)) for f in factors]


def make_video(path_or_file, *, frames: int = 48, fps=25, size=(320, 240), codec: str = "libx264",
               gop: int = 12, bframes: int = 2, pix_fmt: str = "yuv420p", vfr: bool = False,
               rotation: int = 0, audio: str | None = None, audio_rate: int = 48000,
               audio_channels: int = 1, sar=None, start_pts: int = 0, options: dict | None = None,
               container_format: str | None = None, container_options: dict | None = None,
               texture: bool = False, encoder_threads: str | None = None):
    """Encode a numbered test video; returns `path_or_file`.

    start_pts: offset of the first frame in frame periods; negative values in MP4/MOV make the muxer
      write an edit list that hides the first -start_pts frames (FFmpeg then never shows them).
    options: encoder options (e.g. {"x264-params": "open-gop=1"}, {"preset": "ultrafast"}).
    container_format / container_options: muxer name (needed for file objects) and its options.
    texture: overlay a panning texture and sensor-like grain so the bitrate and decode cost are
      those of real camera footage (for benchmarks; numbers stay readable).
    encoder_threads: the encoder's thread_type; PyAV's default "SLICE" makes libx264 cut every
      picture into slices, which decoders then spread over cores. "FRAME" gives one slice per
      picture, as the ffmpeg command line and most phone encoders write.
    """
    fps = Fraction(fps).limit_denominator(100000)
    fmt = container_format
    if fmt is None:
        if isinstance(path_or_file, (str, os.PathLike)):
            fmt = _FORMAT_BY_SUFFIX.get(Path(path_or_file).suffix.lower())
        if fmt is None:
            raise ValueError("container_format is needed for this target")
    width, height = size
    up_w, up_h = (height, width) if rotation % 180 else (width, height)
    out = av.open(path_or_file, "w", format=fmt, options=dict(container_options or {}))
    try:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        ctx = stream.codec_context
        time_base = Fraction(1, 1000) if vfr else 1 / fps
        ctx.time_base = time_base
        stream.time_base = time_base
        ctx.gop_size = gop
        ctx.max_b_frames = bframes
        if encoder_threads is not None:
            ctx.thread_type = encoder_threads
        if sar is not None:
            ctx.sample_aspect_ratio = Fraction(*sar) if isinstance(sar, tuple) else Fraction(sar)
        opts = {}
        if codec == "libx264":
            opts = {"preset": "veryfast", "sc_threshold": "0"}
        elif codec == "libx265":
            opts = {"preset": "ultrafast",
                    "x265-params": f"keyint={gop}:min-keyint={gop}:bframes={bframes}:scenecut=0:log-level=error"}
        elif codec == "libvpx-vp9":
            opts = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
        opts.update(options or {})
        ctx.options = opts
        if rotation % 360:
            # PyAV's degrees are counter-clockwise; ours are the clockwise turn needed for display.
            stream.set_display_rotation(-rotation % 360)
        astream = None
        if audio:
            astream = out.add_stream(_AUDIO_ENCODER[audio], rate=audio_rate)
            astream.layout = "mono" if audio_channels == 1 else "stereo"
        durations = _vfr_durations(frames, fps) if vfr else [1] * frames
        pts = start_pts * (durations[0] if vfr else 1)
        rng = np.random.default_rng(99)
        pattern = _texture(rng, up_w + frames * 4, up_h) if texture else None
        for n in range(frames):
            up = draw_frame(n, up_w, up_h)
            if pattern is not None:
                grain = rng.integers(-3, 4, size=(up_h, up_w, 1), dtype=np.int16)
                shifted = pattern[:, n * 4:n * 4 + up_w] + grain
                up = np.clip(up.astype(np.int16) + shifted, 0, 255).astype(np.uint8)
            stored = np.ascontiguousarray(np.rot90(up, k=(rotation // 90) % 4))  # rot90 turns CCW
            vf = av.VideoFrame.from_ndarray(stored, format="rgb24")
            if pix_fmt != "rgb24":
                vf = vf.reformat(format=pix_fmt)
            vf.pts, vf.time_base = pts, time_base
            pts += durations[n]
            out.mux(stream.encode(vf))
        out.mux(stream.encode(None))
        if astream is not None:
            total = float(sum(durations) * time_base)
            _encode_tone(out, astream, total, float(fps), audio_rate, audio_channels)
    finally:
        out.close()
    return path_or_file


def _texture(rng, width: int, height: int) -> np.ndarray:
    """Smooth random texture in [-40, 40] (int16, height×width×3) to pan across the picture."""
    small = rng.uniform(-40, 40, size=(max(2, height // 16), max(2, width // 16), 3)).astype(np.float32)
    big = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    return np.clip(big, -40, 40).astype(np.int16)


def _encode_tone(out, astream, seconds: float, fps: float, rate: int, channels: int) -> None:
    samples = int(seconds * rate)
    t = np.arange(samples) / rate
    level = np.where((t * fps + 1e-9).astype(np.int64) % 5 == 0, 0.5, 0.1)
    wave = (level * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    chunk = 1024
    for start in range(0, samples, chunk):
        part = np.tile(wave[start:start + chunk], (channels, 1))
        af = av.AudioFrame.from_ndarray(part, format="fltp", layout=astream.layout.name)
        af.sample_rate, af.pts, af.time_base = rate, start, Fraction(1, rate)
        out.mux(astream.encode(af))
    out.mux(astream.encode(None))


# ---------------------------------------------------------------- broken files

def make_broken(kind: str, path) -> Path:
    """Write one unusable file of `kind` (see BROKEN_KINDS) at `path`; returns the path."""
    path = Path(path)
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("These are my notes about the session, not a video.\n" * 20)
    elif kind == "random":
        path.write_bytes(np.random.default_rng(7).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    elif kind == "truncated_moov":
        buf = io.BytesIO()
        make_video(buf, frames=48, container_format="mp4")
        data = buf.getvalue()
        moov = data.rfind(b"moov")
        assert moov > data.find(b"mdat"), "expected moov after mdat"
        path.write_bytes(data[:moov - 4 - 2000])
    elif kind == "truncated_faststart":
        # faststart rewrites the file in a second pass, so it needs a real path
        make_video(path, frames=48, container_format="mp4", container_options={"movflags": "faststart"})
        data = path.read_bytes()
        assert data.find(b"moov") < data.find(b"mdat"), "expected moov before mdat"
        path.write_bytes(data[:len(data) // 2])
    elif kind == "audio_only":
        out = av.open(str(path), "w", format="mp4")
        try:
            astream = out.add_stream("aac", rate=48000)
            astream.layout = "mono"
            _encode_tone(out, astream, 1.0, 25.0, 48000, 1)
        finally:
            out.close()
    else:
        raise ValueError(f"unknown broken kind {kind!r}; one of {BROKEN_KINDS}")
    return path


class _ForwardOnlyWriter(io.RawIOBase):
    """A write-only, non-seekable sink: muxers cannot go back to write duration or cues."""

    def __init__(self, file):
        self._file = file

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, data):
        return self._file.write(data)


def make_live_webm(path, **kwargs) -> Path:
    """A MediaRecorder-like WebM (VP9 + Opus by default): no duration, no cues, like a browser stream."""
    kwargs.setdefault("codec", "libvpx-vp9")
    kwargs.setdefault("audio", "opus")
    with open(path, "wb") as file:
        make_video(_ForwardOnlyWriter(file), container_format="webm", **kwargs)
    return Path(path)


# One small example of every kind of recording the engine must serve exactly:
# name -> (file name, make_video keyword arguments, number drawn in frame 0 as FFmpeg shows it).
KINDS = {
    "vfr_mp4": ("vfr.mp4", dict(vfr=True, audio="aac"), 0),
    "rotated_mp4": ("rotated.mp4", dict(rotation=90, size=(160, 120), audio="aac"), 0),
    "hevc10_mov": ("hevc10.mov", dict(codec="libx265", pix_fmt="yuv420p10le", size=(160, 120),
                                      audio="aac", audio_rate=44100, audio_channels=2), 0),
    "interlaced_ts": ("camcorder.mts", dict(options={"x264-params": "interlaced=1:tff=1"}, start_pts=25,
                                            audio="ac3", audio_channels=2, size=(192, 144)), 0),
    "vp9_webm": ("browser.webm", dict(codec="libvpx-vp9", audio="opus", size=(160, 120)), 0),
    "mjpeg_avi": ("webcam.avi", dict(codec="mjpeg", pix_fmt="yuvj420p", gop=1, bframes=0,
                                     audio="pcm_s16le", audio_rate=44100, size=(160, 120)), 0),
    "long_gop": ("longgop.mp4", dict(frames=100, gop=50, bframes=3, size=(160, 120)), 0),
    "open_gop": ("opengop.mp4", dict(frames=80, gop=20, bframes=3, size=(160, 120),
                                     options={"x264-params": "open-gop=1"}), 0),
    "anamorphic_pal": ("pal.mp4", dict(frames=20, size=(720, 576), sar=(64, 45), gop=10), 0),
    "edit_list_mp4": ("editlist.mp4", dict(start_pts=-3, size=(160, 120)), 3),
    "no_audio_mkv": ("silent.mkv", dict(size=(160, 120)), 0),
}


def make_kind(kind: str, folder) -> tuple[Path, int]:
    """Write the KINDS example `kind` (or "live_webm") into `folder`; returns (path, first number)."""
    if kind == "live_webm":
        return make_live_webm(Path(folder) / "recorder.webm", size=(160, 120)), 0
    name, kwargs, first = KINDS[kind]
    return Path(make_video(Path(folder) / name, **kwargs)), first


ALL_KINDS = (*KINDS, "live_webm")
