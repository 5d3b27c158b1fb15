"""Frame-exact clip and still export: MP4 (H.264 + AAC, yuv420p, fast start) and PNG.

`export_clip` writes source frames [start_frame, end_frame) so that exported frame k is source frame
start_frame + k, timed by the source's own frame times (VFR stays VFR), with the audio of exactly the
same span. With no option that changes the picture it *smart-cuts* (export_smartcut.py): only the
frames before the first whole GOP and after the last one are re-encoded, the GOPs between are copied.

Outputs have square pixels (anamorphic sources are scaled up to their display aspect), even sizes and
no rotation flag (the picture itself is turned upright). `out` is a path or a writable, seekable
binary file object (io.BytesIO: the export never touches a filesystem). To a path, writing is atomic:
`.name.partial` in the target folder, fsync, rename, and the MP4 has fast start; on cancel (the
progress callback raising Cancelled) or any failure the partial file is removed and the exception
propagates. Into a file object the MP4 is written from its current position (index at the end: no
fast start without a file name) and on cancel or failure the object is truncated back to there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import closing

import cv2
import numpy as np

from vigstudio.domain.errors import InvalidInput

from .export_audio import AudioWriter, change_tempo, probe_audio, read_audio_span
from .export_encode import (
    OUTPUT_TIME_BASE,
    ExportError,
    ExportResult,
    Progress,
    SourceViews,
    Span,
    add_h264_stream,
    check_speed,
    close_quietly,
    in_background,
    open_output,
    output_target,
    report,
    run_atomically,
    set_color,
)
from .export_frames import FrameShaper, decoded_frames
from .export_overlays import CaptionOverlay, Overlays, fit_picture, square_pixel_size
from .export_review import ReviewClip, ReviewStill, export_review
from .export_smartcut import SmartCutPlan, SpliceError, plan_smart_cut, write_smart_cut
from .orientation import Orientation
from .source import open_media

STILL_CACHE_BYTES = 16 * 2**20  # one frame is needed; keep the engine's prefetch small

__all__ = ["ExportError", "ExportResult", "ReviewClip", "ReviewStill", "export_clip", "export_review",
           "export_still"]


def export_clip(source, start_frame: int, end_frame: int, out, *, speed: float = 1.0,
                caption: str | None = None, blur_faces: bool = False, blur_regions: Sequence = (),
                smart_cut: bool = True, progress: Progress | None = None,
                index: bytes | None = None) -> ExportResult:
    """Export source frames [start_frame, end_frame) as MP4; see the module doc.

    source: path or seekable binary file object; index: the stored frame index (instant reopen).
    out: path, or writable seekable binary file object (ExportResult.path is then None).
    blur_regions: (x, y, width, height) rectangles in 0..1 of the upright picture.
    """
    speed = check_speed(speed)
    target = output_target(out)
    views = SourceViews(source)
    with open_media(views.view(), index) as media:
        span = Span(media, int(start_frame), int(end_frame), speed)
        info = media.info
        width, height = square_pixel_size(info.width, info.height, info.sample_aspect_ratio)
        overlays = Overlays(width, height, caption=caption, blur_faces=blur_faces, blur_regions=blur_regions)
        audio = probe_audio(views) if info.has_audio else None
        plan: SmartCutPlan | None = None
        note = ""
        if smart_cut:
            why = _why_not_smart(info, speed, overlays, (width, height))
            if why:
                note = why
            else:
                plan = plan_smart_cut(views, media, span.start, span.end)
                note = plan.note
                if not plan.copy_segments:
                    plan = None
        if plan is not None:
            try:
                result = run_atomically(target, lambda: write_smart_cut(
                    target, views, media, plan, audio, lambda f: report(progress, f, "exporting clip")))
            except SpliceError as exc:
                plan, note = None, f"smart cut abandoned: {exc}"
        if plan is None:
            result = run_atomically(target, lambda: _write_reencoded(
                target, views, media, span, (width, height), overlays, audio, progress))
    report(progress, 1.0, "exported")
    frames, duration, audio_duration, gops, copied = result
    method = "smartcut" if plan is not None else "reencode"
    return ExportResult(target.final, method, frames, duration, audio_duration, gops, copied, note)


def _why_not_smart(info, speed, overlays: Overlays, size) -> str:
    if not math.isclose(speed, 1.0):
        return "speed change needs re-encoding"
    if overlays.active:
        return "caption or blur needs re-encoding"
    if info.rotation or info.mirrored:
        return "rotated or mirrored source is turned upright by re-encoding"
    if size != (info.width, info.height) or info.sample_aspect_ratio not in (0, 1):
        return "non-square pixels or odd size need re-encoding"
    if info.index_method == "sequence":
        return "frames named by decoding order (no usable timestamps) are re-encoded"
    if info.video_codec != "h264":
        return f"{info.video_codec} cannot be spliced (only H.264)"
    return ""


def _write_reencoded(target, views, media, span: Span, size, overlays: Overlays, audio, progress):
    width, height = size
    pcm = None
    if audio is not None:
        rate, channels = audio
        pcm = change_tempo(read_audio_span(views, span.t0, span.t1, rate, channels), rate, span.speed)
        want = round(span.out_seconds * rate)
        pcm = pcm[:, :want] if pcm.shape[1] >= want else np.pad(pcm, ((0, 0), (0, want - pcm.shape[1])))
    fps = span.count / span.out_seconds if span.out_seconds > 0 else 25
    out = open_output(target)
    try:
        video = add_h264_stream(out, width, height, fps)
        audio_out = AudioWriter(out, *audio) if audio is not None else None
        if audio_out is not None:
            audio_out.append(pcm)
        durations = {p: q - p for p, q in zip(span.pts, span.pts[1:] + [span.end_pts], strict=True)}

        def mux(packets):
            for packet in packets:
                if packet.pts in durations:
                    packet.duration = durations[packet.pts]
                out.mux(packet)

        shaper = FrameShaper(width, height, Orientation(media.info.rotation, media.info.mirrored), overlays)

        def pictures():
            for k, (i, frame) in enumerate(decoded_frames(views, media, span.start, span.end)):
                if i != span.start + k:
                    raise ExportError(f"frame {span.start + k} could not be decoded for the export")
                yield k, shaper.tags(frame) if k == 0 else None, shaper(frame, span.pts[k], OUTPUT_TIME_BASE)

        with closing(in_background(pictures)) as frames:
            for k, tags, frame in frames:
                if tags is not None:  # before the encoder opens: the colours the first frame has
                    set_color(video.codec_context, tags)
                mux(video.encode(frame))
                if audio_out is not None:
                    audio_out.feed_until(span.pts[k] * float(OUTPUT_TIME_BASE))
                report(progress, (k + 1) / span.count * 0.98, "exporting clip")
        mux(video.encode(None))
        if audio_out is not None:
            audio_out.finish()
        out.close()
    except BaseException:
        close_quietly(out)
        raise
    audio_seconds = pcm.shape[1] / audio[0] if audio is not None else 0.0
    return span.count, span.out_seconds, audio_seconds, 0, 0


def export_still(source, frame: int, out, *, caption: str | None = None,
                 index: bytes | None = None) -> ExportResult:
    """One frame as PNG (to a path, or its bytes into a writable file object): upright, square pixels,
    optionally with its caption burned in."""
    target = output_target(out)
    views = SourceViews(source)
    with open_media(views.view(), index, cache_bytes=STILL_CACHE_BYTES) as media:
        info = media.info
        if not 0 <= int(frame) < info.frame_count:
            raise InvalidInput(f"frame {frame} is outside the recording (0..{info.frame_count - 1})")
        width, height = square_pixel_size(info.width, info.height, info.sample_aspect_ratio, even_size=False)
        rgb = fit_picture(media.frame(int(frame)), width, height).copy()
    if caption:
        CaptionOverlay(caption, width, height).apply(rgb)
    ok, png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:
        raise ExportError("the still could not be encoded as PNG")
    target.write_bytes(png.tobytes())
    return ExportResult(target.final, "png", 1, 0.0, 0.0)

