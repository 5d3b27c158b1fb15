"""A whole shared review as one MP4: clips (frame-exact), stills held for a while, calm title cards.

Every item is letterboxed into one picture size (the largest item, at most 1920×1080) on black;
clips keep their own frame timing, cards and stills are shown at `fps`. The audio is the clips' own
sound for exactly their spans (pitch-kept when slowed) and silence under cards and stills.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vigstudio.domain.errors import InvalidInput

from .export_audio import AudioWriter, change_tempo, probe_audio, read_audio_span
from .export_encode import (
    OUTPUT_TIME_BASE,
    ExportResult,
    SourceViews,
    Span,
    add_h264_stream,
    check_speed,
    close_quietly,
    open_output,
    output_target,
    report,
    run_atomically,
    yuv_frame,
)
from .export_overlays import CaptionOverlay, even, fit_picture, letterbox, square_pixel_size, title_card
from .source import open_media

REVIEW_RATE, REVIEW_CHANNELS = 48000, 2
MAX_SIZE = (1920, 1080)
EXPORT_CACHE_BYTES = 16 * 2**20  # clips are read linearly; only stills use the frame cache


@dataclass(frozen=True)
class ReviewClip:
    source: object  # path or seekable binary file object
    start: int
    end: int  # exclusive
    title: str | None = None  # shown on a title card before the clip
    speed: float = 1.0
    index: bytes | None = None


@dataclass(frozen=True)
class ReviewStill:
    source: object
    frame: int
    caption: str | None = None  # burned in at the bottom
    seconds: float = 5.0
    title: str | None = None
    index: bytes | None = None


class _Segment:
    """One stretch of the output: its frames' pts (relative), its length, how to draw it."""

    def __init__(self, pts: list[int], end_pts: int, draw, audio=None, close=None):
        self.pts, self.end_pts, self.draw, self.audio = pts, end_pts, draw, audio
        self.close = close or (lambda: None)


def _held(seconds: float, fps: float) -> tuple[list[int], int]:
    step = round(1 / fps / float(OUTPUT_TIME_BASE))
    count = max(1, round(seconds * fps))
    return [j * step for j in range(count)], count * step


def export_review(items: Sequence[ReviewClip | ReviewStill], out, *, title_seconds: float = 3.0,
                  fps: float = 25.0, size: tuple[int, int] | None = None,
                  progress: Callable[[float, str], None] | None = None) -> ExportResult:
    """Join `items` (in order) into one MP4, each titled item preceded by its title card.

    out: a path (atomic, fast start) or a writable, seekable binary file object, as for export_clip."""
    if not items:
        raise InvalidInput("a review export needs at least one clip or still")
    target = output_target(out)
    opened, segments = [], []
    try:
        for item in items:
            if not isinstance(item, (ReviewClip, ReviewStill)):
                raise InvalidInput("review items must be ReviewClip or ReviewStill")
            views = SourceViews(item.source)
            opened.append((item, views, open_media(views.view(), item.index, cache_bytes=EXPORT_CACHE_BYTES)))
        width, height = size or _canvas_size([m.info for _, _, m in opened])
        for item, views, media in opened:
            if item.title:
                card = title_card(item.title, width, height)
                segments.append(_Segment(*_held(title_seconds, fps), draw=lambda _k, card=card: card))
            segments.append(_item_segment(item, views, media, width, height, fps))
        result = run_atomically(target, lambda: _write(target, segments, width, height, fps, progress))
    finally:
        for segment in segments:
            segment.close()
        for _, _, media in opened:
            media.close()
    report(progress, 1.0, "exported")
    return result


def _canvas_size(infos) -> tuple[int, int]:
    w = h = 2
    for info in infos:
        sw, sh = square_pixel_size(info.width, info.height, info.sample_aspect_ratio)
        w, h = max(w, sw), max(h, sh)
    scale = min(1.0, MAX_SIZE[0] / w, MAX_SIZE[1] / h)
    return even(w * scale), even(h * scale)


def _item_segment(item, views, media, width, height, fps) -> _Segment:
    info = media.info
    sq = square_pixel_size(info.width, info.height, info.sample_aspect_ratio)
    if isinstance(item, ReviewStill):
        if not 0 <= item.frame < info.frame_count:
            raise InvalidInput(f"still frame {item.frame} is outside its recording (0..{info.frame_count - 1})")
        if not item.seconds > 0:
            raise InvalidInput("a still must be shown for some seconds")
        picture = letterbox(fit_picture(media.frame(item.frame), *sq), width, height)
        if item.caption:
            CaptionOverlay(item.caption, width, height).apply(picture)
        return _Segment(*_held(item.seconds, fps), draw=lambda _k: picture)
    span = Span(media, item.start, item.end, check_speed(item.speed))
    frames = media.iter_frames(span.start, span.end)

    def draw(k):
        i, rgb = next(frames)
        if i != span.start + k:
            raise InvalidInput(f"frame {span.start + k} could not be decoded for the review")
        return letterbox(fit_picture(rgb, *sq), width, height)

    def audio():
        found = probe_audio(views) if info.has_audio else None
        if found is None:
            return None
        pcm = read_audio_span(views, span.t0, span.t1, REVIEW_RATE, REVIEW_CHANNELS)
        return change_tempo(pcm, REVIEW_RATE, span.speed)

    return _Segment(span.pts, span.end_pts, draw, audio, close=frames.close)


def _write(target, segments, width, height, fps, progress) -> ExportResult:
    total_frames = sum(len(s.pts) for s in segments)
    tick = float(OUTPUT_TIME_BASE)
    durations, offset = {}, 0  # absolute pts -> how long that frame stays on screen
    for segment in segments:
        ends = segment.pts[1:] + [segment.end_pts]
        durations.update({offset + p: q - p for p, q in zip(segment.pts, ends, strict=True)})
        offset += segment.end_pts

    out = open_output(target)
    try:
        video = add_h264_stream(out, width, height, fps)
        audio = AudioWriter(out, REVIEW_RATE, REVIEW_CHANNELS)

        def mux(packets):
            for packet in packets:
                packet.duration = durations.get(packet.pts, packet.duration)
                out.mux(packet)

        offset = done = 0
        for segment in segments:
            seg_end = offset + segment.end_pts
            want = round(seg_end * tick * REVIEW_RATE) - audio.samples  # no drift across segments
            pcm = segment.audio() if segment.audio is not None else None
            if pcm is not None:
                audio.append(pcm[:, :want])
            audio.append_silence(want - (0 if pcm is None else min(want, pcm.shape[1])))
            for k, pts in enumerate(segment.pts):
                mux(video.encode(yuv_frame(segment.draw(k), offset + pts)))
                audio.feed_until((offset + pts) * tick)
                done += 1
                report(progress, done / total_frames * 0.98, "exporting review")
            offset = seg_end
        mux(video.encode(None))
        audio.finish()
        out.close()
    except BaseException:
        close_quietly(out)
        raise
    return ExportResult(target.final, "review", total_frames, offset * tick, audio.samples / REVIEW_RATE)
