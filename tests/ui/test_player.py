"""Player on real generated videos under the offscreen platform (this machine has no sound device)."""

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices

from tests.videos import make_video, read_frame_number
from vigstudio.media import open_media
from vigstudio.ui.player import DEVICE_FAILED, NO_AUDIO, NO_DEVICE, Player


def qimage_rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return data[:, :width * 3].reshape(height, width, 3).copy()


@pytest.fixture(scope="module")
def video_with_sound(tmp_path_factory):
    path = tmp_path_factory.mktemp("player") / "talk.mp4"
    return make_video(path, frames=50, fps=25, gop=12, bframes=2, audio="aac")


@pytest.fixture
def player_for(qtbot):
    made = []

    def make(path, **kwargs):
        source = open_media(str(path))
        player = Player(source, **kwargs)
        shown = []
        player.frameChanged.connect(lambda index, image: shown.append((index, qimage_rgb(image))))
        made.append((player, source))
        return player, shown

    yield make
    for player, source in made:
        player.close()
        source.close()


def last_is(shown, index):
    return bool(shown) and shown[-1][0] == index


def test_plays_on_the_wall_clock_without_a_sound_device_and_pauses_on_an_exact_frame(
        qtbot, player_for, video_with_sound):
    player, shown = player_for(video_with_sound, audio_file=str(video_with_sound))
    qtbot.waitUntil(lambda: last_is(shown, 0))  # the first picture arrives without playing
    no_device = QMediaDevices.defaultAudioOutput().isNull()
    assert player.audio_available is (not no_device)
    if no_device:
        assert player.audio_status == NO_DEVICE

    states = []
    player.stateChanged.connect(states.append)
    player.play()
    assert player.playing and states == ["playing"]
    assert player.clock.audio_master is player.audio_available
    qtbot.waitUntil(lambda: player.current_frame >= 8, timeout=5000)
    player.pause()
    assert states == ["playing", "paused"]

    paused_at = player.current_frame
    index, rgb = shown[-1]
    assert index == paused_at and read_frame_number(rgb) == paused_at
    # frames were shown in order, each the picture it claims to be
    indices = [i for i, _ in shown]
    assert indices == sorted(indices)
    assert all(read_frame_number(picture) == i for i, picture in shown)
    count = len(shown)
    qtbot.wait(100)
    assert len(shown) == count and player.current_frame == paused_at  # nothing moves while paused


def test_steps_backward_and_forward_exactly(qtbot, player_for, video_with_sound):
    player, shown = player_for(video_with_sound)
    qtbot.waitUntil(lambda: last_is(shown, 0))
    player.seek(30)
    qtbot.waitUntil(lambda: last_is(shown, 30))
    for expected in (29, 28, 27):
        player.step(-1)
        qtbot.waitUntil(lambda e=expected: last_is(shown, e))
        assert read_frame_number(shown[-1][1]) == expected
    player.step(+1)
    qtbot.waitUntil(lambda: last_is(shown, 28))
    assert read_frame_number(shown[-1][1]) == 28
    # steps given faster than frames decode still land on the sum of the steps
    for _ in range(5):
        player.step(-1)
    qtbot.waitUntil(lambda: last_is(shown, 23))
    assert read_frame_number(shown[-1][1]) == 23
    player.step(-100)
    qtbot.waitUntil(lambda: last_is(shown, 0))  # clamped at the first frame


def test_recording_without_sound_plays_to_the_end_at_double_speed(qtbot, player_for, tmp_path):
    path = make_video(tmp_path / "silent.mp4", frames=30, fps=25, gop=10)
    player, shown = player_for(path, audio_file=str(path))
    assert not player.audio_available and player.audio_status == NO_AUDIO
    qtbot.waitUntil(lambda: last_is(shown, 0))
    player.set_speed(2.0)
    states = []
    player.stateChanged.connect(states.append)
    before = len(shown)
    player.play()
    qtbot.waitUntil(lambda: states == ["playing", "paused"], timeout=5000)  # stops by itself
    played = [i for i, _ in shown[before:]]
    assert played[0] == 0 and played[-1] == 29 and player.current_frame == 29
    assert all(read_frame_number(picture) == i for i, picture in shown)
    # every frame never shown counts; frames shown after their slot passed count too
    assert 30 - len(set(played)) <= player.droppedFrames() <= 29
    # playing again from the end starts over
    player.play()
    qtbot.waitUntil(lambda: player.current_frame >= 3, timeout=5000)
    player.pause()


def test_seek_while_playing_continues_from_the_new_frame(qtbot, player_for, video_with_sound):
    player, shown = player_for(video_with_sound)
    qtbot.waitUntil(lambda: last_is(shown, 0))
    player.set_speed(0.5)
    player.play()
    player.seek(40)
    assert player.playing
    qtbot.waitUntil(lambda: player.current_frame >= 42, timeout=5000)
    after_seek = [i for i, _ in shown if i >= 40]
    assert after_seek[0] == 40
    assert all(read_frame_number(picture) == i for i, picture in shown)
    player.set_muted(True)
    player.set_volume(0.3)
    assert player.muted and player.volume == pytest.approx(0.3)
    with pytest.raises(ValueError):
        player.set_speed(3.0)


class HandClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_frames_follow_the_samples_the_sound_device_reports(qtbot, player_for, video_with_sound):
    """The audio-master path with the device replaced by feeding processed-sample counts directly:
    wall time stands still, so only the reported sound moves the picture."""
    hand = HandClock()
    player, shown = player_for(video_with_sound, now=hand)
    qtbot.waitUntil(lambda: last_is(shown, 0))
    player.play()
    qtbot.waitUntil(lambda: player.clock.playing)  # preroll done: frame 0 decoded, clock started
    player.clock.attach_audio(48000, media_time=0.0)
    qtbot.wait(50)
    assert player.current_frame == 0  # no sound played yet: the picture waits
    player.clock.audio_processed(48000 * 2 // 5)  # 0.4 s of sound played = frame 10 at 25 fps
    qtbot.waitUntil(lambda: last_is(shown, 10), timeout=5000)
    player.clock.audio_processed(48000 * 4 // 5)  # 0.8 s
    qtbot.waitUntil(lambda: last_is(shown, 20), timeout=5000)
    assert read_frame_number(shown[-1][1]) == 20
    assert player.droppedFrames() == 18  # 1..9 and 11..19 had their slots pass unseen
    player.pause()
    assert not player.clock.audio_master and player.current_frame == 20


def test_a_sound_device_that_fails_falls_back_to_the_wall_clock(qtbot, player_for, video_with_sound):
    """A real QAudioSink on an output that cannot open (no sound hardware: Qt reports OpenError)."""
    readers = []

    def open_reader():  # as the app does: a fresh file object per sound stream
        readers.append(open(video_with_sound, "rb"))
        return readers[-1]

    player, shown = player_for(video_with_sound, audio_file=open_reader, audio_device=QAudioDevice())
    assert player.audio_available and player.audio_status == ""  # not known until it is tried
    qtbot.waitUntil(lambda: last_is(shown, 0))
    with qtbot.waitSignal(player.audioStatusChanged, timeout=5000) as status:
        player.play()
    assert status.args == [False, DEVICE_FAILED]
    assert not player.audio_available and not player.clock.audio_master
    qtbot.waitUntil(lambda: player.current_frame >= 5, timeout=5000)  # the picture plays on
    player.pause()
    assert read_frame_number(shown[-1][1]) == player.current_frame
    assert len(readers) == 1  # the sound was really tried once...
    qtbot.waitUntil(lambda: readers[0].closed)  # ...and its reader let go of


def test_pausing_before_the_first_frame_arrives_still_shows_the_frame_it_stands_on(
        qtbot, player_for, video_with_sound):
    player, shown = player_for(video_with_sound)
    qtbot.waitUntil(lambda: last_is(shown, 0))
    player.seek(33)
    player.play()
    player.pause()  # same event-loop turn: nothing of this run can have been decoded yet
    assert player.current_frame == 33
    qtbot.waitUntil(lambda: last_is(shown, 33))
    assert read_frame_number(shown[-1][1]) == 33
    player.toggle()
    assert player.playing
    player.toggle()
    assert not player.playing and read_frame_number(shown[-1][1]) == player.current_frame
