"""The kinds of phone and camera files FFmpeg serves that need more than timestamps to index:
several video tracks, AVI headers and indexes that lie, H.264 with foreign or broken NAL units,
fragmented MP4; and the files FFmpeg cannot decode, refused quickly. Frame i served by the engine
is checked against FFmpeg's i-th decoded frame (a full linear decode of the same stream)."""

import random
import time

import av
import numpy as np
import pytest

from tests.media.kind_files import (
    add_sample_groups,
    ffmpeg_frames,
    inject_nals,
    junk_nal,
    make_tracks,
    patch_avi,
    replace_sample_entry,
)
from tests.videos import make_video, read_frame_number
from vigstudio.media import MediaError, open_media
from vigstudio.media.export import export_clip
from vigstudio.media.index import FrameIndex


def assert_exact(path, truth, *, video_stream=0, only=None, **open_kwargs):
    """Every frame, in a shuffled order, then backwards, equals the truth's picture of that number
    (`only`: the frames whose pictures FFmpeg itself decodes the same every time)."""
    with open_media(path, **open_kwargs) as source:
        count = source.info.frame_count
        assert count == len(truth)
        order = list(range(count))
        random.Random(str(path)).shuffle(order)
        for i in order + order[::-1][:10] + list(range(count - 1, -1, -1)):
            if only is None or i in only:
                assert np.array_equal(source.frame(i), truth[i]), i
        linear = dict(source.iter_frames())
        assert sorted(linear) == list(range(count))
        for i, rgb in linear.items():
            if only is None or i in only:
                assert np.array_equal(rgb, truth[i]), i
        times = source.frame_times
        assert np.all(np.diff(times) > 0)
        assert all(source.frame_at_time(source.frame_time(i)) == i for i in range(count))
        return source.info


def numbers(pictures):
    out = []
    for picture in pictures:
        try:
            out.append(read_frame_number(picture))
        except ValueError:
            out.append(-1)  # a picture the decoder concealed damage in
    return out


# ---------------------------------------------------------------- several video tracks

MAIN = dict(size=(160, 120), fps=25, frames=48)
STILL = dict(size=(640, 480), fps=1, frames=1, offset=5000, gop=1, bframes=0)
DEPTH = dict(size=(96, 64), fps=25, frames=48, offset=3000, handler="Depth")


@pytest.mark.parametrize("layout", ["motion_photo", "still_first", "depth_and_still"])
@pytest.mark.parametrize("ext", ["mp4", "mov", "mkv"])
def test_main_video_track_is_served_and_the_others_ignored(tmp_path, layout, ext):
    tracks = {"motion_photo": [MAIN, STILL], "still_first": [STILL, MAIN],
              "depth_and_still": [MAIN, DEPTH, STILL]}[layout]
    if ext == "mkv" and layout == "depth_and_still":
        pytest.skip("handler names are an MP4/MOV box")
    path = make_tracks(tmp_path / f"{layout}.{ext}", tracks, audio=True)
    main = tracks.index(MAIN)
    truth = ffmpeg_frames(path, video_stream=main)
    assert numbers(truth) == list(range(48))
    info = assert_exact(path, truth)
    assert info.video_track == main and info.video_tracks == ()  # nothing to choose from
    assert (info.width, info.height) == MAIN["size"]


def test_two_camera_tracks_are_offered_and_either_is_served(tmp_path):
    second = dict(MAIN, offset=1000, size=(128, 96))
    path = make_tracks(tmp_path / "dual.mp4", [MAIN, second, STILL])
    with open_media(path) as source:
        tracks = source.info.video_tracks
        assert [(t.number, t.width, t.height, t.role) for t in tracks] == [
            (0, 160, 120, "camera"), (1, 128, 96, "camera")]
        assert "128×96" in tracks[1].describe()
        assert source.info.video_track == 0
    truth = ffmpeg_frames(path, video_stream=1)
    assert numbers(truth) == list(range(1000, 1048))
    info = assert_exact(path, truth, track=1)
    assert info.video_track == 1 and (info.width, info.height) == (128, 96)

    with open_media(path, track=1) as source:
        stored = source.index_bytes()
    # the stored index keeps the chosen track, also when it no longer fits and is rebuilt
    with open_media(path, index=stored) as source:
        assert source.info.video_track == 1 and read_frame_number(source.frame(7)) == 1007
    stale = FrameIndex.from_bytes(stored)
    stale.file_size += 1
    with open_media(path, index=stale.to_bytes()) as source:
        assert source.info.video_track == 1 and read_frame_number(source.frame(7)) == 1007

    with pytest.raises(MediaError, match="no video track 5"):
        open_media(path, track=5)


# ---------------------------------------------------------------- AVI


@pytest.mark.parametrize("codec", ["h264_bframes", "mjpeg", "mpeg4_bframes"])
@pytest.mark.parametrize("lie", ["claims_more_frames", "index_out_of_order", "both"])
def test_avi_indexed_by_what_is_decoded(tmp_path, codec, lie):
    kwargs = {"h264_bframes": dict(gop=12, bframes=2), "mjpeg": dict(codec="mjpeg", pix_fmt="yuvj420p", gop=1,
                                                                   bframes=0),
              "mpeg4_bframes": dict(codec="mpeg4", gop=12, bframes=2)}[codec]
    source = make_video(tmp_path / "camera.avi", frames=48, size=(160, 120), audio="pcm_s16le", **kwargs)
    claim = 480 if lie != "index_out_of_order" else None
    swaps = [(10, 11), (30, 29)] if lie != "claims_more_frames" else ()
    path = patch_avi(source, tmp_path / f"{lie}.avi", claim_frames=claim, swaps=swaps)
    truth = ffmpeg_frames(path)
    assert len(truth) == 48
    assert_exact(path, truth)


def test_avi_with_bframes_is_a_sequence_index_that_reopens(tmp_path):
    path = make_video(tmp_path / "b.avi", frames=40, size=(96, 64), gop=10, bframes=2)
    with open_media(path) as source:
        assert source.info.index_method == "sequence"
        stored = source.index_bytes()
        np.testing.assert_allclose(np.diff(source.frame_times), 1 / 25)
    with open_media(path, index=stored) as source:
        assert source.info.index_method == "sequence"
        assert [read_frame_number(source.frame(i)) for i in (39, 0, 25, 24, 11)] == [39, 0, 25, 24, 11]
    result = export_clip(path, 5, 27, tmp_path / "clip.mp4", index=stored)
    assert result.method == "reencode"
    with av.open(str(result.path)) as container:
        assert [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)] == list(range(5, 27))


# ---------------------------------------------------------------- H.264 NAL units

EVERY = (10, 25, 33)  # access units that get something injected
INJECTIONS = {
    # an access unit delimiter inside an access unit: the parser splits it, the decoder shows an extra picture
    "delimiter_inside": lambda k, n: n[:1] + [b"\x09\xf0"] + n[1:] if k in EVERY else None,
    "unknown_types": lambda k, n: n + [junk_nal(0x17, seed=k), junk_nal(0x1e, seed=k)] if k % 5 == 2 else None,
    "forbidden_bit": lambda k, n: n + [junk_nal(0x81, seed=k)] if k % 6 == 1 else None,
    "broken_slice": lambda k, n: n + [junk_nal(0x01, seed=k)] if k in EVERY else None,
    "repeated_slice": lambda k, n: n + [x for x in n if x[0] & 0x1F in (1, 5)] if k in EVERY else None,
    "broken_sps": lambda k, n: n[:1] + [junk_nal(0x67, 8, seed=k)] + n[1:] if k in EVERY else None,
    "broken_idr_slice": lambda k, n: n + [junk_nal(0x65, seed=k)] if k in EVERY else None,
}


@pytest.mark.parametrize("kind", sorted(INJECTIONS))
def test_h264_with_foreign_or_broken_nal_units(tmp_path, kind):
    source = make_video(tmp_path / "src.mp4", frames=48, size=(160, 120), gop=12, bframes=2)
    path = inject_nals(source, tmp_path / f"{kind}.ts", INJECTIONS[kind])
    # one thread, as damage is concealed differently from run to run with threads (ffmpeg -threads 1)
    truth, again = ffmpeg_frames(path, threads="NONE"), ffmpeg_frames(path, threads="NONE")
    # A picture whose damage left parts of it undecoded shows whatever memory the decoder had (FFmpeg
    # itself differs from run to run there): those count by position only, the rest must be equal.
    shown = numbers(truth)
    stable = {i for i, (a, b) in enumerate(zip(truth, again, strict=True))
              if np.array_equal(a, b) and shown[i] >= 0}
    assert len(stable) >= len(truth) // 2
    assert_exact(path, truth, only=stable)


def test_unknown_nal_types_in_mp4_change_nothing(tmp_path):
    source = make_video(tmp_path / "src.mp4", frames=36, size=(160, 120), gop=12, bframes=2)
    path = inject_nals(source, tmp_path / "unknown.mp4", INJECTIONS["unknown_types"], fmt="mp4")
    truth = ffmpeg_frames(path)
    assert numbers(truth) == list(range(36))
    info = assert_exact(path, truth)
    assert info.index_method == "demux"


def test_extra_pictures_are_counted(tmp_path):
    """The issue's case: FFmpeg shows 3 pictures more than there are packets with timestamps."""
    source = make_video(tmp_path / "src.mp4", frames=48, size=(160, 120), gop=12, bframes=2)
    path = inject_nals(source, tmp_path / "split.ts", INJECTIONS["delimiter_inside"])
    with open_media(path) as media:
        assert media.info.frame_count == 51 == len(ffmpeg_frames(path, threads="NONE"))


# ---------------------------------------------------------------- fragmented MP4

FRAGMENTED = {
    "keyframe_fragments": (dict(), "frag_keyframe+empty_moov"),
    "default_base_moof_bframes": (dict(bframes=3), "frag_keyframe+empty_moov+default_base_moof"),
    "timed_fragments_with_audio": (dict(audio="aac"), "empty_moov+default_base_moof"),
    "cmaf": (dict(audio="aac", frames=75), "frag_keyframe+empty_moov+default_base_moof+cmaf"),
    "negative_cts_open_gop": (dict(bframes=3, options={"x264-params": "open-gop=1"}),
                              "frag_keyframe+empty_moov+negative_cts_offsets"),
    "vfr": (dict(vfr=True, audio="aac"), "frag_keyframe+empty_moov"),
    "every_frame_a_fragment": (dict(frames=30), "frag_every_frame+empty_moov+default_base_moof"),
}


@pytest.mark.parametrize("kind", sorted(FRAGMENTED))
def test_fragmented_mp4_ends_exactly(tmp_path, kind):
    kwargs, flags = FRAGMENTED[kind]
    kwargs = dict(kwargs)
    frames = kwargs.pop("frames", 61)
    options = {"movflags": flags}
    if "frag_keyframe" not in flags and "frag_every_frame" not in flags:
        options["frag_duration"] = "300000"  # 0.3 s fragments, cut anywhere in a GOP
    path = make_video(tmp_path / f"{kind}.mp4", frames=frames, size=(160, 120), container_options=options, **kwargs)
    with open(path, "rb") as f:
        assert b"moof" in f.read()
    truth = ffmpeg_frames(path)
    assert numbers(truth) == list(range(frames))
    with av.open(str(path)) as container:
        times = [f.time for f in container.decode(video=0)]
    with open_media(path) as source:
        np.testing.assert_allclose(source.frame_times, np.array(times) - times[0], atol=1e-6)
        # the end frame by frame, from the last frame backwards and forwards into it
        for i in [*range(frames - 1, frames - 26, -1), *range(frames - 25, frames)]:
            assert np.array_equal(source.frame(i), truth[i]), i
    assert_exact(path, truth)


SAMPLE_GROUPS = {
    "sync_groups": ("frag_keyframe+empty_moov+default_base_moof", dict(audio="aac"), b"sync", b"\x05"),
    "rap_groups_open_gop": ("frag_keyframe+empty_moov+default_base_moof",
                            dict(bframes=3, options={"x264-params": "open-gop=1"}), b"rap ", b"\x80"),
    # fragments cut inside GOPs whose groups call each fragment's first sample a random access point
    "rap_groups_mid_gop": ("empty_moov+default_base_moof", dict(), b"rap ", b"\x80"),
}


@pytest.mark.parametrize("kind", sorted(SAMPLE_GROUPS))
def test_fragmented_mp4_with_sample_groups_ends_exactly(tmp_path, kind):
    flags, kwargs, grouping, entry = SAMPLE_GROUPS[kind]
    options = {"movflags": flags}
    if "frag_keyframe" not in flags:
        options["frag_duration"] = "300000"
    source = make_video(tmp_path / "plain.mp4", frames=61, size=(160, 120), container_options=options, **kwargs)
    path = add_sample_groups(source, tmp_path / f"{kind}.mp4", grouping, entry)
    assert path.read_bytes().count(b"sbgp") == path.read_bytes().count(b"traf") > 1
    truth = ffmpeg_frames(path)
    assert numbers(truth) == list(range(61))
    with open_media(path) as source:
        for i in range(60, 30, -1):
            assert np.array_equal(source.frame(i), truth[i]), i
    assert_exact(path, truth)


# ---------------------------------------------------------------- refused quickly


@pytest.mark.timeout(10)
def test_encrypted_track_is_refused(tmp_path):
    path = make_video(tmp_path / "drm.mp4", frames=24, size=(160, 120), container_options={
        "encryption_scheme": "cenc-aes-ctr", "encryption_key": "00112233445566778899aabbccddeeff",
        "encryption_kid": "a7e61c373e219033c21091fa607bf3b8"})
    start = time.monotonic()
    with pytest.raises(MediaError, match="encrypted"):
        open_media(path)
    assert time.monotonic() - start < 10


@pytest.mark.timeout(10)
def test_codec_without_a_decoder_is_refused(tmp_path):
    source = make_video(tmp_path / "plain.mp4", frames=12, size=(96, 64))
    path = replace_sample_entry(source, tmp_path / "unknown_codec.mp4", b"avc1", b"xvc9")
    with pytest.raises(MediaError, match="unsupported codec"):
        open_media(path)


@pytest.mark.timeout(10)
def test_ts_without_video_frames_is_refused(tmp_path):
    path = tmp_path / "no_pictures.ts"
    out = av.open(str(path), "w", format="mpegts")
    video = out.add_stream("libx264", rate=25)
    video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
    audio = out.add_stream("mp2", rate=48000)
    audio.layout = "mono"
    for k in range(60):
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1152), np.int16), format="s16", layout="mono")
        frame.sample_rate, frame.pts = 48000, k * 1152
        out.mux(audio.encode(frame))
    out.mux(audio.encode(None))
    out.close()
    with pytest.raises(MediaError, match="no video"):
        open_media(path)
