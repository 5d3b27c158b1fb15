"""Smart cut of H.264: re-encode only the edges of a clip, copy the whole GOPs in between.

How the splice stays decodable: the copied packets keep the source's SPS/PPS; the re-encoded head
and tail are made by libx264 with *other* parameter-set ids (x264's `sps-id`), the same size,
profile and level. The output's avcC carries all of them (source first), so every slice finds its
own parameter sets and a player switches between them at IDR pictures, as the standard allows.
The copy starts at an IDR picture of the source (nothing after it refers to earlier pictures) and
the copied packets must produce exactly the frames [copy start, copy end) — checked on the packet
timestamps before anything is written; otherwise the export falls back to a full re-encode.
Timestamps: every frame keeps its source pts (minus the clip start), decode timestamps are
re-derived for the joined stream (sorted pts shifted by the largest reordering delay).
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass, field
from fractions import Fraction

import av

from .export_audio import AudioWriter, read_audio_span
from .export_encode import (
    close_quietly,
    in_background,
    open_output,
    set_color,
    x264_options,
)
from .export_frames import FrameShaper, decoded_frames
from .export_h264 import (
    annexb_to_avcc,
    avcc_length_size,
    build_avcc,
    has_idr,
    length_prefixed,
    parse_avcc,
    parse_pps_ids,
    parse_sps,
    split_annexb,
)
from .probe import pick_video_stream

X264_PROFILES = {66: "baseline", 77: "main", 100: "high"}
EDGE_CRF = "16"  # edges are short: spend bits so they match the copied GOPs
FIRST_PTS_PACKETS = 64  # packets read at the file start to find the first shown frame's pts


class SpliceError(Exception):
    """The joined stream would not be exact: the caller re-encodes instead."""


@dataclass
class SmartCutPlan:
    note: str = ""  # why not (or only partly) smart
    copy_segments: list = field(default_factory=list)  # [(first frame, end frame)] copied
    start: int = 0
    end: int = 0
    time_base: Fraction = Fraction(1)
    frame_pts: list = field(default_factory=list)  # source pts of frames start..end-1 (absolute)
    end_pts: int = 0  # source pts where the clip ends (absolute)
    copy_first_pts: int = 0  # pts of the IDR packet the copy starts at
    copy_stop_pts: int | None = None  # pts of the keyframe packet the copy stops before (None: EOF)
    copied_gops: int = 0
    copy_order: list = field(default_factory=list)  # pts of the copied packets (decode order), relative
    avcc: bytes = b""
    sps: dict = field(default_factory=dict)
    free_ids: tuple = ()


def _refuse(why: str) -> SmartCutPlan:
    return SmartCutPlan(note=why)


def plan_smart_cut(views, media, start: int, end: int) -> SmartCutPlan:
    """What to copy for frames [start, end), or an empty plan with the reason in `note`."""
    try:
        return _plan(views, media, start, end)
    except (av.FFmpegError, ValueError, IndexError) as exc:
        return _refuse(f"source cannot be spliced ({type(exc).__name__})")


def _plan(views, media, start: int, end: int) -> SmartCutPlan:
    info = media.info
    with views.open() as container:
        stream = pick_video_stream(container, info.video_track)  # the same stream the media engine shows
        if stream.codec_context.name != "h264":
            return _refuse("only H.264 can be spliced")
        ctx = stream.codec_context
        if ctx.pix_fmt not in ("yuv420p", None) or (ctx.width, ctx.height) != (info.width, info.height):
            return _refuse("only 8-bit 4:2:0 H.264 can be spliced")
        extradata = ctx.extradata or b""
        if not extradata or extradata[0] != 1:
            return _refuse("H.264 without avcC parameter sets cannot be spliced")
        sps_list, pps_list, _ = parse_avcc(extradata)
        if avcc_length_size(extradata) != 4 or not sps_list or not pps_list:
            return _refuse("unusual H.264 packaging cannot be spliced")
        sps = parse_sps(sps_list[0])
        if sps["profile_idc"] not in X264_PROFILES or sps["chroma_format_idc"] != 1 \
                or sps["bit_depth"] != 8 or not sps["frame_mbs_only"]:
            return _refuse("this H.264 profile (or interlacing) cannot be spliced")
        used = {parse_sps(s)["sps_id"] for s in sps_list} | {i for p in pps_list for i in parse_pps_ids(p)}
        free = tuple(i for i in range(32) if i not in used)[:2]
        if len(free) < 2:
            return _refuse("no free parameter-set ids to splice with")
        for other in container.streams:
            if other.index != stream.index:
                other.discard = type(other.discard).all
        tb = stream.time_base
        first_pts = _first_shown_pts(container, stream)
        times = media.frame_times
        frame_pts = [first_pts + round(float(t) / tb) for t in times[start:end]]
        end_pts = first_pts + round(float(times[end]) / tb) if end < info.frame_count \
            else first_pts + round(float(info.duration) / tb)
        scan = _scan(container, stream, frame_pts[0], end_pts, to_eof=end == info.frame_count)
    wanted = set(frame_pts)
    if not wanted <= {p for p, _, _ in scan if p is not None}:
        return _refuse("packet timestamps do not match the frame index")
    # candidates: IDR packets (decode order) whose pts is a frame of the clip
    starts = [n for n, (p, key, idr) in enumerate(scan) if idr and p in wanted]
    stops = [n for n, (p, key, _) in enumerate(scan) if key and (p in wanted or p == end_pts)] + \
        ([len(scan)] if end == info.frame_count else [])
    pos_of = {p: i for i, p in enumerate(frame_pts)}
    for a in starts:
        for b in reversed([s for s in stops if s > a]):
            copied = [p for p, _, _ in scan[a:b]]
            lo = pos_of[scan[a][0]]
            hi = pos_of.get(scan[b][0], len(frame_pts)) if b < len(scan) else len(frame_pts)
            if lo < hi and sorted(copied) == frame_pts[lo:hi]:
                return SmartCutPlan(
                    note="", copy_segments=[(start + lo, start + hi)], start=start, end=end, time_base=tb,
                    frame_pts=frame_pts, end_pts=end_pts, copy_first_pts=scan[a][0],
                    copy_stop_pts=scan[b][0] if b < len(scan) else None,
                    copied_gops=sum(1 for _, key, _ in scan[a:b] if key),
                    copy_order=[p - frame_pts[0] for p in copied], avcc=extradata, sps=sps,
                    free_ids=free)
        break  # the first IDR decides: later ones would copy less
    return _refuse("no whole GOP inside the clip (it is shorter than the source's keyframe interval)")


def _first_shown_pts(container, stream) -> int:
    container.seek(0, stream=stream)
    pts = [p.pts for _, p in zip(range(FIRST_PTS_PACKETS), container.demux(stream), strict=False)
           if p.size and p.pts is not None and not p.is_discard]
    if not pts:
        raise ValueError("no timestamps")
    return min(pts)


def _scan(container, stream, first_pts: int, end_pts: int, to_eof: bool) -> list:
    """(pts, keyframe, starts with IDR) of packets in decode order from the GOP before the clip."""
    container.seek(int(first_pts), backward=True, stream=stream)
    out = []
    for packet in container.demux(stream):
        if not packet.size:
            continue
        if not to_eof and packet.dts is not None and packet.dts >= end_pts:
            break
        pts = None if packet.is_discard else packet.pts
        idr = packet.is_keyframe and has_idr(bytes(packet))
        out.append((pts, packet.is_keyframe, idr))
    return out


# ---------------------------------------------------------------- writing


class _Stopped(Exception):
    """The caller stopped waiting (cancel or failure): an edge encoder gives up."""


def _encode_edge(views, media, plan: SmartCutPlan, first: int, stop: int, sps_id: int,
                 tick) -> tuple[list, list]:
    """libx264 packets (AVCC, pts relative to the clip start) of frames [first, stop) and its SPS/PPS.

    The decoded YUV goes to the encoder as it is (the source is 4:2:0 at the export size), tagged
    with the source's colours, so the edges look like the copied GOPs between them.
    """
    info = media.info
    ctx = av.CodecContext.create("libx264", "w")
    ctx.width, ctx.height, ctx.pix_fmt = info.width, info.height, "yuv420p"
    ctx.time_base = plan.time_base
    ctx.framerate = Fraction(info.average_fps or 25).limit_denominator(1001)
    ctx.flags |= int(av.codec.context.Flags.global_header)
    ctx.thread_count = 0
    level = plan.sps["level_idc"]
    ctx.options = x264_options(EDGE_CRF, X264_PROFILES[plan.sps["profile_idc"]], f"{level // 10}.{level % 10}",
                               f"sps-id={sps_id}")
    shaper = FrameShaper(info.width, info.height, 0)
    base = plan.frame_pts[0]
    packets = []

    def pictures():
        for k, (i, frame) in enumerate(decoded_frames(views, media, first, stop)):
            if i != first + k:
                raise SpliceError(f"frame {first + k} could not be decoded")
            yield shaper.tags(frame) if k == 0 else None, \
                shaper(frame, plan.frame_pts[i - plan.start] - base, plan.time_base)

    with closing(in_background(pictures)) as frames:
        for tags, frame in frames:
            if tags is not None:
                set_color(ctx, tags)
            packets += ctx.encode(frame)
            tick()
    packets += ctx.encode(None)
    nals = split_annexb(ctx.extradata or b"")
    params = [n for n in nals if n and n[0] & 0x1F in (7, 8)]
    # each IDR also carries its parameter sets in-band, so the splice points describe themselves
    # to decoders that only look at the first set in avcC
    in_band = length_prefixed(params)
    return params, [((in_band if p.is_keyframe else b"") + annexb_to_avcc(bytes(p)), p.pts, p.is_keyframe)
                    for p in packets]


def _in_parallel(jobs: dict, on_wait, stop: threading.Event) -> dict:
    """Run the callables of `jobs` on threads; `on_wait()` is called on this thread while waiting
    (progress, cancel). On any error `stop` is set, the others are awaited and the error raised."""
    results: dict = {}
    with ThreadPoolExecutor(max_workers=max(1, len(jobs)), thread_name_prefix="smartcut") as pool:
        futures = {pool.submit(job): name for name, job in jobs.items()}
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
                for future in done:
                    results[futures[future]] = future.result()
                on_wait()
        except BaseException:
            stop.set()
            raise
    return results


def write_smart_cut(target, views, media, plan: SmartCutPlan, audio, report) -> tuple:
    """Write the spliced MP4 into the target; returns (frames, seconds, audio seconds, gops, copied).

    The head, the tail and the audio are encoded at the same time on worker threads (a 2-core
    machine has a core for each edge); only then is anything muxed, in one pass over the copied
    packets. Progress and cancel are reported on the calling thread.
    """
    base, tb = plan.frame_pts[0], plan.time_base
    (lo, hi), = plan.copy_segments
    total = plan.end - plan.start
    encoded = [0]
    stop = threading.Event()

    def tick():
        if stop.is_set():
            raise _Stopped()
        encoded[0] += 1  # (a lost update between the two edges only slows the progress bar)

    copied_pts = plan.frame_pts[lo - plan.start:hi - plan.start]
    # decode order of the joined stream, as relative pts
    rel_frames = [p - base for p in plan.frame_pts]
    end_rel = plan.end_pts - base
    durations = {p: q - p for p, q in zip(rel_frames, rel_frames[1:] + [end_rel], strict=True)}
    sps_list, pps_list, ext = parse_avcc(plan.avcc)

    out = open_output(target)
    try:
        with views.open() as container:
            src = pick_video_stream(container, media.info.video_track)
            video = out.add_stream_from_template(src)
            video.time_base = tb
            audio_out = AudioWriter(out, *audio) if audio is not None else None
            jobs = {}
            if lo > plan.start:
                jobs["head"] = lambda: _encode_edge(views, media, plan, plan.start, lo, plan.free_ids[0], tick)
            if hi < plan.end:
                jobs["tail"] = lambda: _encode_edge(views, media, plan, hi, plan.end, plan.free_ids[1], tick)
            if audio_out is not None:
                def encode_audio():
                    t0 = media.frame_time(plan.start)
                    audio_out.append(read_audio_span(views, t0, t0 + end_rel * float(tb), *audio))
                    audio_out.encode_ahead()
                jobs["audio"] = encode_audio
            edges = _in_parallel(jobs, lambda: report(encoded[0] / total * 0.9), stop)
            head_params, head = edges.get("head", ([], []))
            tail_params, tail = edges.get("tail", ([], []))
            order = [p for _, p, _ in head] + plan.copy_order + [p for _, p, _ in tail]
            if sorted(order) != rel_frames:
                raise SpliceError("copied packets do not hold exactly the clip's frames")
            sorted_pts = sorted(order)
            delay = max(0, max(s - p for s, p in zip(sorted_pts, order, strict=True)))
            dts = [s - delay for s in sorted_pts]
            extra_sps = [n for n in head_params + tail_params if n[0] & 0x1F == 7]
            extra_pps = [n for n in head_params + tail_params if n[0] & 0x1F == 8]
            video.codec_context.extradata = build_avcc(_unique(sps_list + extra_sps),
                                                       _unique(pps_list + extra_pps), ext)
            n = 0

            def mux(packet, rel_pts):
                nonlocal n
                if n >= len(order) or rel_pts != order[n]:
                    raise SpliceError("the copied packets changed since they were checked")
                packet.stream = video
                packet.time_base = tb
                packet.pts, packet.dts, packet.duration = rel_pts, dts[n], durations[rel_pts]
                n += 1
                out.mux(packet)
                if audio_out is not None:
                    audio_out.feed_until(rel_pts * float(tb))

            for data, rel, key in head:
                mux(_packet(data, key), rel)
            source_sets = length_prefixed(sps_list + pps_list)
            done = encoded[0]
            for k, packet in enumerate(_copy_packets(container, src, plan)):
                if k == 0 and head:  # back to the source's parameter sets after the head
                    packet = _packet(source_sets + bytes(packet), True, pts=packet.pts)
                mux(packet, packet.pts - base)
                report((done + k + 1) / total * 0.9)
            for data, rel, key in tail:
                mux(_packet(data, key), rel)
            if n != len(order):
                raise SpliceError("the copied packets changed since they were checked")
            if audio_out is not None:
                audio_out.finish()
        out.close()
    except BaseException:
        close_quietly(out)
        raise
    audio_seconds = audio_out.samples / audio[0] if audio is not None else 0.0
    return total, end_rel * float(tb), audio_seconds, plan.copied_gops, len(copied_pts)


def _unique(nals: list) -> list:
    seen, out = set(), []
    for nal in nals:
        if bytes(nal) not in seen:
            seen.add(bytes(nal))
            out.append(bytes(nal))
    return out


def _packet(data: bytes, keyframe: bool, pts: int | None = None) -> av.Packet:
    packet = av.Packet(data)
    packet.is_keyframe = keyframe
    packet.pts = pts
    return packet


def _copy_packets(container, stream, plan: SmartCutPlan):
    """Source packets from the IDR at copy_first_pts up to (not including) the keyframe at copy_stop_pts."""
    for other in container.streams:
        if other.index != stream.index:
            other.discard = type(other.discard).all
    container.seek(int(plan.copy_first_pts), backward=True, stream=stream)
    copying = False
    for packet in container.demux(stream):
        if not packet.size:
            continue
        if not copying:
            if packet.is_keyframe and packet.pts == plan.copy_first_pts:
                copying = True
            else:
                continue
        elif packet.is_keyframe and packet.pts == plan.copy_stop_pts:
            return
        yield packet
