"""Waveform peaks from real encoded recordings (generated with PyAV in each test)."""

import io

import numpy as np
import pytest

from tests.media.tone_files import write_tones
from tests.videos import make_video, tone_level
from vigstudio.domain.errors import Cancelled
from vigstudio.media import MediaError
from vigstudio.media.audio import AudioStream
from vigstudio.media.waveform import Waveform, compute_peaks


@pytest.mark.parametrize("codec,rate,channels", [("aac", 44100, 2), ("pcm_s16le", 48000, 1),
                                                 ("libopus", 48000, 2)])
def test_silence_then_tone_gives_flat_then_full_envelope(tmp_path, codec, rate, channels):
    path = write_tones(tmp_path / f"tone.{codec}", [(1.0, 440, 0.0), (1.0, 440, 0.8)],
                       codec=codec, rate=rate, channels=channels)
    wave = compute_peaks(str(path), bins_per_second=100)

    assert 195 <= len(wave) <= 210
    first_half = slice(0, 95)
    second_half = slice(110, 195)
    assert np.abs(wave.maxs[first_half]).max() < 0.02
    assert np.abs(wave.mins[first_half]).max() < 0.02
    assert wave.maxs[second_half].min() == pytest.approx(0.8, abs=0.05)
    assert wave.mins[second_half].max() == pytest.approx(-0.8, abs=0.05)


def test_envelope_follows_the_videos_tone_levels_through_a_file_object():
    buf = io.BytesIO()
    make_video(buf, frames=50, fps=25, audio="aac", container_format="mp4")
    wave = compute_peaks(buf, bins_per_second=25)  # one bin per video frame

    assert len(wave) >= 49
    for frame in range(1, 49):  # the AAC edges are smeared by the codec's priming
        t = frame / 25
        level = wave.slice(t + 0.01, t + 0.03, 1)[1][0]
        assert level == pytest.approx(tone_level(t + 0.02, 25), abs=0.1), frame


def test_recording_without_audio_gives_an_empty_waveform(tmp_path):
    path = make_video(tmp_path / "silent.mp4", frames=10)
    wave = compute_peaks(str(path))

    assert wave.is_empty
    assert Waveform.from_bytes(wave.to_bytes()).is_empty
    mins, maxs = wave.slice(0, 1, 50)
    assert mins.shape == (50,) and not maxs.any()


def test_blob_round_trip_and_slicing_at_any_zoom(tmp_path):
    path = write_tones(tmp_path / "t.wav", [(0.5, 440, 0.0), (0.5, 440, 0.5), (0.5, 440, 0.0)],
                       codec="pcm_s16le", rate=48000, channels=1)
    wave = compute_peaks(str(path), bins_per_second=100)
    again = Waveform.from_bytes(wave.to_bytes())

    assert again.bins_per_second == 100 and len(again) == len(wave) == 150
    assert np.allclose(again.maxs, wave.maxs, atol=1e-4)
    # zoomed out: 3 columns for the three parts
    mins, maxs = again.slice(0.0, 1.5, 3)
    assert maxs.round(1).tolist() == [0.0, 0.5, 0.0]
    assert mins.round(1).tolist() == [0.0, -0.5, 0.0]
    # zoomed in far beyond one bin per column: columns repeat the bin under them
    mins, maxs = again.slice(0.7, 0.71, 40)
    assert np.all(maxs > 0.45)
    # outside the recording: silence, not an error
    mins, maxs = again.slice(5.0, 6.0, 10)
    assert not maxs.any() and not mins.any()
    # straddling the end: the columns inside carry the audio, those after it are silent
    mins, maxs = again.slice(0.9, 1.9, 10)
    assert maxs[0] > 0.45 and not maxs[-3:].any()


def test_progress_is_reported_and_raising_cancelled_stops_it(tmp_path):
    path = write_tones(tmp_path / "long.wav", [(8.0, 300, 0.3)], codec="pcm_s16le", rate=48000,
                       channels=1)
    seen = []

    def progress(fraction, label):
        seen.append(fraction)
        if fraction > 0.2:
            raise Cancelled("waveform")

    with pytest.raises(Cancelled):
        compute_peaks(str(path), progress=progress)
    assert seen[0] == 0.0 and 0.2 < seen[-1] < 1.0

    fractions = []
    compute_peaks(str(path), progress=lambda f, _label: fractions.append(f))
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_unreadable_input_is_a_media_error_and_a_cut_file_gives_what_is_there(tmp_path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a recording at all\n" * 50)
    with pytest.raises(MediaError):
        compute_peaks(str(notes))
    with pytest.raises(MediaError):
        AudioStream(str(notes))

    whole = write_tones(tmp_path / "cam.mts", [(2.0, 440, 0.5)], codec="ac3", rate=48000, channels=2)
    data = whole.read_bytes()
    cut = tmp_path / "cut.mts"
    cut.write_bytes(data[: len(data) // 2])  # a camcorder file cut off mid-recording
    wave = compute_peaks(str(cut), bins_per_second=100)
    assert 80 <= len(wave) <= 120
    assert wave.maxs[10:80].min() == pytest.approx(0.5, abs=0.05)
    with AudioStream(str(cut)) as stream:
        assert len(stream.read_all()) / 48000 == pytest.approx(len(wave) / 100, abs=0.05)
