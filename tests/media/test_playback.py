"""Playback pipeline: real decoded/tempo-changed audio, and the clock/pacer driven by a hand clock."""

import io

import numpy as np
import pytest

from tests.media.tone_files import CODECS, dominant_frequency, write_tones
from tests.videos import make_video
from vigstudio.media.audio import AudioError, AudioStream, atempo_chain
from vigstudio.media.playback import MAX_INTERPOLATION, FramePacer, PlaybackClock

# ---------------------------------------------------------------------------------------- audio


@pytest.fixture(scope="module")
def tone_files(tmp_path_factory):
    """One 2 s 440 Hz tone per codec; mono 44.1 kHz where the codec allows, else stereo 48 kHz."""
    folder = tmp_path_factory.mktemp("tones")
    files = {}
    for codec, (_fmt, suffix) in CODECS.items():
        rate, channels = (48000, 2) if codec in ("libopus", "ac3") else (44100, 1)
        files[codec] = (write_tones(folder / f"tone{suffix}", [(2.0, 440, 0.5)], codec=codec,
                                    rate=rate, channels=channels), rate, channels)
    return files


@pytest.mark.parametrize("codec", list(CODECS))
@pytest.mark.parametrize("speed", [1.0, 0.5, 2.0, 0.25])
def test_audio_lasts_duration_over_speed_and_keeps_its_pitch(tone_files, codec, speed):
    path, rate, channels = tone_files[codec]
    with AudioStream(str(path), 0.0, speed) as stream:
        assert (stream.sample_rate, stream.channels) == (rate, channels)
        pcm = stream.read_all()

    assert pcm.dtype == np.int16 and pcm.shape[1] == channels
    seconds = len(pcm) / rate
    assert seconds == pytest.approx(2.0 / speed, rel=0.03)
    middle = pcm[len(pcm) // 4: 3 * len(pcm) // 4]
    assert dominant_frequency(middle, rate) == pytest.approx(440, abs=5)
    assert np.abs(middle).max() == pytest.approx(0.5 * 32767, rel=0.1)


def test_chunks_carry_the_media_time_of_their_first_sample_at_speed(tone_files):
    path, rate, _ = tone_files["pcm_s16le"]
    with AudioStream(str(path), 0.0, 0.5) as stream:
        chunks = list(stream)
    assert chunks[0].time == pytest.approx(0.0, abs=1e-6)
    for before, after in zip(chunks, chunks[1:], strict=False):
        # at 0.5×, each played sample covers half a sample of the recording
        assert after.time == pytest.approx(before.time + before.frames / rate * 0.5, abs=1e-9)
    assert chunks[-1].time + chunks[-1].frames / rate * 0.5 == pytest.approx(2.0, abs=0.06)


def test_starting_later_is_seeking(tmp_path):
    # 1 s at 300 Hz then 1 s at 600 Hz: starting at 1.2 s must give only the second tone
    path = write_tones(tmp_path / "two.mp3", [(1.0, 300, 0.5), (1.0, 600, 0.5)],
                       codec="libmp3lame", rate=44100, channels=2)
    with AudioStream(str(path), 1.2) as stream:
        chunks = list(stream)
        pcm = np.concatenate([c.pcm for c in chunks])
    assert chunks[0].time == pytest.approx(1.2, abs=1e-6)
    assert len(pcm) / 44100 == pytest.approx(0.8, abs=0.03)
    assert dominant_frequency(pcm, 44100) == pytest.approx(600, abs=5)


def test_audio_of_a_video_is_read_through_a_file_object():
    buf = io.BytesIO()
    make_video(buf, frames=50, fps=25, audio="ac3", audio_channels=2, container_format="mpegts")
    with AudioStream(buf, 0.0, 1.5) as stream:
        pcm = stream.read_all()
    assert len(pcm) / stream.sample_rate == pytest.approx(2.0 / 1.5, rel=0.05)


def test_no_audio_is_a_clear_error(tmp_path):
    path = make_video(tmp_path / "silent.mp4", frames=5)
    with pytest.raises(AudioError, match="no audio"):
        AudioStream(str(path))


def test_atempo_chain_stays_in_the_filters_range():
    assert atempo_chain(0.25) == [0.5, 0.5]
    assert atempo_chain(2.0) == [2.0]
    assert atempo_chain(0.75) == [0.75]
    with pytest.raises(ValueError):
        atempo_chain(3.0)


# ---------------------------------------------------------------------------------------- clock


class HandClock:
    """A monotonic time source moved by the test."""

    def __init__(self):
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def test_wall_clock_runs_at_speed_and_stops_when_paused():
    hand = HandClock()
    clock = PlaybackClock(hand)
    hand.advance(5)
    assert clock.position() == 0.0  # not playing yet
    clock.play()
    hand.advance(2)
    assert clock.position() == pytest.approx(2.0)
    clock.set_speed(0.5)
    hand.advance(2)
    assert clock.position() == pytest.approx(3.0)
    clock.pause()
    hand.advance(10)
    assert clock.position() == pytest.approx(3.0)
    clock.seek(1.0)
    clock.set_speed(2.0)
    clock.play()
    hand.advance(0.25)
    assert clock.position() == pytest.approx(1.5)
    assert not clock.audio_master
    with pytest.raises(ValueError):
        clock.set_speed(4.0)


def test_audio_master_follows_the_samples_the_device_played():
    hand = HandClock()
    clock = PlaybackClock(hand, position=10.0)
    clock.play()
    clock.attach_audio(48000)
    assert clock.audio_master
    # the device reports 0.5 s played while the wall clock says 0.52 s: audio wins
    hand.advance(0.52)
    clock.audio_processed(24000)
    assert clock.position() == pytest.approx(10.5)
    # between reports the clock interpolates, but no further than MAX_INTERPOLATION
    hand.advance(0.02)
    assert clock.position() == pytest.approx(10.52)
    hand.advance(1.0)  # the device stalls (no report): the picture must not run away
    assert clock.position() == pytest.approx(10.5 + MAX_INTERPOLATION)
    # a late report below what was already shown never makes the clock run backwards
    clock.audio_processed(24480)
    assert clock.position() == pytest.approx(10.5 + MAX_INTERPOLATION)
    clock.audio_processed(48000 * 2)
    assert clock.position() == pytest.approx(12.0)


def test_audio_master_at_half_speed_and_falling_back_to_the_wall_clock():
    hand = HandClock()
    clock = PlaybackClock(hand)
    clock.set_speed(0.5)
    clock.play()
    clock.attach_audio(44100, media_time=3.0)
    hand.advance(1.0)
    clock.audio_processed(44100)  # one second of (slowed) sound played = half a second of media
    assert clock.position() == pytest.approx(3.5)
    clock.detach_audio()  # the audio ended or the device failed: the wall clock takes over
    assert not clock.audio_master
    hand.advance(1.0)
    assert clock.position() == pytest.approx(4.0)
    clock.audio_processed(10 * 44100)  # stale reports after detaching are ignored
    assert clock.position() == pytest.approx(4.0)


def test_pause_and_seek_leave_the_audio_master():
    hand = HandClock()
    clock = PlaybackClock(hand)
    clock.play()
    clock.attach_audio(48000, media_time=0.0)
    hand.advance(0.3)
    clock.audio_processed(48000 * 3 // 10)
    clock.pause()
    assert not clock.audio_master and clock.position() == pytest.approx(0.3)
    clock.play()
    clock.attach_audio(48000)
    clock.seek(7.0)
    assert not clock.audio_master and clock.position() == pytest.approx(7.0)


# ---------------------------------------------------------------------------------------- pacer

VFR_TIMES = [0.0, 0.04, 0.08, 0.14, 0.16, 0.24, 0.28, 0.31, 0.36]


def test_pacer_maps_time_to_the_frame_whose_slot_contains_it():
    pacer = FramePacer(VFR_TIMES)
    assert [pacer.frame_at(t) for t in (0.0, 0.039, 0.04, 0.139, 0.15, 0.2, 0.305, 5.0, -1.0)] == [
        0, 0, 1, 2, 3, 4, 6, 8, 0]


def test_pacer_counts_frames_whose_slot_passed_unshown():
    hand = HandClock()
    clock = PlaybackClock(hand)
    pacer = FramePacer(VFR_TIMES)
    pacer.reset(0)
    clock.play()
    shown = [0]
    for step in (0.04, 0.05, 0.05, 0.13, 0.04):  # wall-clock ticks, one of them late
        hand.advance(step)
        target = pacer.frame_at(clock.position())
        if target != pacer.shown:
            pacer.present(target)
            shown.append(target)
    assert shown == [0, 1, 2, 3, 5, 7]
    assert pacer.dropped == 2  # frames 4 and 6 never made it to the screen
    assert pacer.next_frame_time() == pytest.approx(0.36)
    pacer.reset(0)  # seeking back is not dropping
    assert pacer.dropped == 2 and pacer.shown == 0


def test_pacer_with_speed_change_and_pause():
    hand = HandClock()
    clock = PlaybackClock(hand)
    pacer = FramePacer([i / 25 for i in range(100)])
    pacer.reset(0)
    clock.play()
    clock.set_speed(0.25)
    for _ in range(40):  # 40 ticks of 10 ms at 0.25× = 0.1 s of media, every frame shown
        hand.advance(0.01)
        target = pacer.frame_at(clock.position())
        if target != pacer.shown:
            pacer.present(target)
    assert pacer.shown == 2 and pacer.dropped == 0
    clock.pause()
    hand.advance(3)
    assert pacer.frame_at(clock.position()) == 2
    clock.set_speed(2.0)
    clock.play()
    hand.advance(0.1)  # 0.2 s of media in one late tick: frames 3..6 dropped, 7 shown
    pacer.present(pacer.frame_at(clock.position()))
    assert pacer.shown == 7 and pacer.dropped == 4
    assert not pacer.at_end()


def test_pacer_counts_a_frame_shown_after_its_slot_as_dropped():
    pacer = FramePacer([i / 25 for i in range(10)])
    pacer.reset(0)
    pacer.present(1, media_time=0.05)  # frame 1's slot is [0.04, 0.08): on time
    assert pacer.dropped == 0
    pacer.present(2, media_time=0.13)  # the decoder was late: frame 3 was due already
    assert pacer.dropped == 1
    pacer.present(5, media_time=0.21)  # 3 and 4 skipped, 5 on time
    assert pacer.dropped == 3 and pacer.shown == 5
