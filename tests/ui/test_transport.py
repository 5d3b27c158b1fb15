"""TransportBar on real widgets: clicks become the right requests; slots show state without echoing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from vigstudio.ui.icons import icon
from vigstudio.ui.shortcuts import tooltip
from vigstudio.ui.transport import SPEEDS, TransportBar


@pytest.fixture
def bar(qtbot):
    widget = TransportBar()
    qtbot.addWidget(widget)
    widget.resize(900, 44)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def record(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


@pytest.mark.parametrize(("button", "signal", "expected"), [
    ("play_button", "playToggled", ()),
    ("step_back_button", "stepRequested", (-1,)),
    ("step_forward_button", "stepRequested", (1,)),
    ("second_back_button", "secondsStepRequested", (-1,)),
    ("second_forward_button", "secondsStepRequested", (1,)),
    ("start_button", "seekStartRequested", ()),
    ("end_button", "seekEndRequested", ()),
])
def test_each_button_asks_for_its_move(bar, qtbot, button, signal, expected):
    seen = record(getattr(bar, signal))
    qtbot.mouseClick(getattr(bar, button), Qt.MouseButton.LeftButton)
    assert seen == [expected]


@pytest.mark.parametrize(("button", "action_id"), [
    ("step_back_button", "step_back"), ("step_forward_button", "step_forward"),
    ("second_back_button", "second_back"), ("second_forward_button", "second_forward"),
    ("start_button", "go_start"), ("end_button", "go_end"), ("play_button", "play_pause"),
])
def test_tooltips_show_the_shortcut(bar, button, action_id):
    assert getattr(bar, button).toolTip() == tooltip(action_id)
    assert "(" in tooltip(action_id)


def test_play_button_shows_pause_while_playing(bar):
    bar.set_playing(True)
    assert bar.play_button.toolTip() == "Pause (Space, K)"
    assert bar.play_button.icon().cacheKey() == icon("pause").cacheKey()
    bar.set_playing(False)
    assert bar.play_button.toolTip() == "Play (Space, K)"
    assert bar.play_button.icon().cacheKey() == icon("play").cacheKey()


def test_speed_menu_offers_quarter_to_double_speed(bar):
    seen = record(bar.speedChanged)
    assert [a.text() for a in bar.speed_menu.actions()] == ["0.25×", "0.5×", "0.75×", "1×", "1.5×", "2×"]
    for action in bar.speed_menu.actions():
        action.trigger()
        assert action.isChecked()
        assert bar.speed_button.text() == action.text()
    assert [args[0] for args in seen] == list(SPEEDS)


def test_set_speed_shows_the_speed_without_asking_for_it(bar):
    seen = record(bar.speedChanged)
    bar.set_speed(0.5)
    assert bar.speed() == 0.5 and bar.speed_actions[0.5].isChecked()
    assert bar.speed_button.text() == "0.5×"
    assert seen == []


def test_volume_slider_and_mute(bar, qtbot):
    volumes, mutes = record(bar.volumeChanged), record(bar.mutedChanged)
    bar.volume_slider.setValue(40)
    assert volumes == [(0.4,)]

    qtbot.mouseClick(bar.mute_button, Qt.MouseButton.LeftButton)
    assert mutes == [(True,)] and bar.is_muted()
    assert bar.mute_button.icon().cacheKey() == icon("mute").cacheKey()

    bar.volume_slider.setValue(70)  # turning the volume up while muted unmutes
    assert mutes == [(True,), (False,)] and not bar.is_muted()
    assert volumes[-1] == (0.7,)


def test_volume_and_mute_slots_do_not_echo(bar):
    volumes, mutes = record(bar.volumeChanged), record(bar.mutedChanged)
    bar.set_volume(0.25)
    bar.set_muted(True)
    assert bar.volume_slider.value() == 25 and bar.is_muted() and bar.mute_button.isChecked()
    assert volumes == [] and mutes == []


def test_sound_controls_grey_out_with_a_reason(bar):
    bar.set_audio_available(False, "No sound device — playing silently")
    assert not bar.mute_button.isEnabled() and not bar.volume_slider.isEnabled()
    assert bar.mute_button.toolTip() == "No sound device — playing silently"
    bar.set_audio_available(True)
    assert bar.mute_button.isEnabled() and bar.mute_button.toolTip() == "Mute"


def test_position_readouts(bar):
    bar.set_position(1234, 49.36, 30000, 1200.0)
    assert bar.frame_label.text() == "Frame 1234"
    assert bar.time_label.text() == "00:49.360"
    assert bar.duration_label.text() == "/ 20:00.000"
    bar.clear_position()
    assert bar.frame_label.text() == "Frame —"
    assert "--" in bar.time_label.text()


@pytest.mark.parametrize(("frame_count", "duration", "frame", "time"), [
    (1000, 40.0, 999, 39.96),  # a short recording: no room kept for hours
    (108_000, 3700.0, 107_999, 3699.96),  # over an hour: the read-outs widen to show it whole
])
def test_readouts_fit_the_longest_text_of_the_recording(bar, frame_count, duration, frame, time):
    bar.resize(bar.minimumSizeHint().width(), bar.height())
    bar.set_position(frame, time, frame_count, duration)
    for label in (bar.frame_label, bar.time_label, bar.duration_label):
        assert label.minimumWidth() >= label.fontMetrics().horizontalAdvance(label.text()), label.text()


def test_the_bar_is_compact_enough_for_a_laptop_editor(bar):
    bar.set_position(0, 0.0, 30_000, 1200.0)  # a 20-minute recording
    assert bar.minimumSizeHint().width() <= 780  # it was 874: the editor then needed a 1440 px screen
