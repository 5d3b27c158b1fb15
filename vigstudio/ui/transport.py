"""TransportBar: the buttons and read-outs under the picture.

It only asks (signals) and shows (slots); the editor window wires it to the player:

    bar.playToggled.connect(player.toggle)
    bar.stepRequested.connect(player.step)
    bar.speedChanged.connect(player.set_speed)
    player.stateChanged.connect(lambda state: bar.set_playing(state == "playing"))
    player.audioStatusChanged.connect(bar.set_audio_available)      # (available, reason)
    bar.set_position(frame, seconds, frame_count, duration)

Slots that reflect state never emit the request signals, so wiring both ways cannot loop.
Tooltips show the shortcuts from `vigstudio.ui.shortcuts`, the one keyboard table.

Compact enough for a 1366×768 laptop beside the editor's side panels: icon buttons (the shortcut in
each tooltip), read-outs as wide as the loaded recording needs (hours only for recordings that long;
tabular digits, so nothing shifts while playing) and a volume slider that gives way first.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QSlider,
    QToolButton,
    QWidget,
)

from vigstudio.domain.timecode import format_seconds
from vigstudio.ui import style
from vigstudio.ui.icons import icon
from vigstudio.ui.shortcuts import tooltip

SPEEDS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
ICON_SIZE = QSize(20, 20)
PLAY_ICON_SIZE = QSize(26, 26)
NO_TIME = "--:--.---"
VOLUME_WIDTH = (56, 96)  # the slider's narrowest and widest


def speed_text(speed: float) -> str:
    """0.25 -> "0.25×", 1.0 -> "1×"."""
    return f"{speed:g}×"


class TransportBar(QWidget):
    playToggled = Signal()
    stepRequested = Signal(int)  # frames, ±1
    secondsStepRequested = Signal(int)  # seconds, ±1
    seekStartRequested = Signal()
    seekEndRequested = Signal()
    speedChanged = Signal(float)
    volumeChanged = Signal(float)  # 0..1
    mutedChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transportBar")
        self.setAccessibleName("Playback controls")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._playing = False
        self._speed = 1.0
        self._muted = False

        self.start_button = self._button("go_start", "skip-back")
        self.second_back_button = self._text_button("second_back", "−1 s")
        self.step_back_button = self._button("step_back", "step-back")
        self.play_button = self._button("play_pause", "play", PLAY_ICON_SIZE)
        self.step_forward_button = self._button("step_forward", "step-forward")
        self.second_forward_button = self._text_button("second_forward", "+1 s")
        self.end_button = self._button("go_end", "skip-forward")

        self.start_button.clicked.connect(self.seekStartRequested)
        self.second_back_button.clicked.connect(lambda: self.secondsStepRequested.emit(-1))
        self.step_back_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.play_button.clicked.connect(self.playToggled)
        self.step_forward_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.second_forward_button.clicked.connect(lambda: self.secondsStepRequested.emit(1))
        self.end_button.clicked.connect(self.seekEndRequested)

        self.frame_label = self._readout("Frame number")
        self.time_label = self._readout("Time")
        # Right-aligned so the time sits next to the duration: "00:49.360 / 20:00.000".
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.duration_label = self._readout("Duration", muted=True)
        self._fitted_for: tuple[int, str] | None = None
        self._fit_readouts(0, 0.0)

        self.speed_button = QToolButton()
        self.speed_button.setObjectName("speedButton")
        self.speed_button.setAccessibleName("Playback speed")
        self.speed_button.setToolTip("Playback speed (the pitch of voices is kept)")
        self.speed_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.speed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.speed_button.setIcon(icon("speed"))
        self.speed_button.setIconSize(ICON_SIZE)
        self.speed_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.speed_menu = QMenu(self.speed_button)
        self._speed_group = QActionGroup(self)
        self._speed_group.setExclusive(True)
        self.speed_actions: dict[float, QAction] = {}
        for speed in SPEEDS:
            action = self.speed_menu.addAction(speed_text(speed))
            action.setCheckable(True)
            action.setData(speed)
            action.triggered.connect(lambda _checked=False, s=speed: self._speed_picked(s))
            self._speed_group.addAction(action)
            self.speed_actions[speed] = action
        self.speed_button.setMenu(self.speed_menu)
        self._show_speed(1.0)

        self.mute_button = QToolButton()
        self.mute_button.setObjectName("muteButton")
        self.mute_button.setAccessibleName("Mute")
        self.mute_button.setCheckable(True)
        self.mute_button.setAutoRaise(True)
        self.mute_button.setIconSize(ICON_SIZE)
        self.mute_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.mute_button.toggled.connect(self._mute_toggled)

        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setObjectName("volumeSlider")
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setPageStep(10)
        self.volume_slider.setMinimumWidth(VOLUME_WIDTH[0])
        self.volume_slider.setMaximumWidth(VOLUME_WIDTH[1])
        self.volume_slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.volume_slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.volume_slider.valueChanged.connect(self._volume_moved)
        palette = self.volume_slider.palette()  # a disabled slider should not look filled in teal
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(style.BORDER))
        self.volume_slider.setPalette(palette)
        self._audio_reason = ""
        self._show_muted(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 8, 4)
        layout.setSpacing(2)
        for widget in (self.start_button, self.second_back_button, self.step_back_button,
                       self.play_button, self.step_forward_button, self.second_forward_button,
                       self.end_button):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self._separator())
        layout.addSpacing(8)
        layout.addWidget(self.frame_label)
        layout.addSpacing(12)
        layout.addWidget(self.time_label)
        layout.addSpacing(4)
        layout.addWidget(self.duration_label)
        layout.addStretch(1)
        layout.addWidget(self.speed_button)
        layout.addSpacing(6)
        layout.addWidget(self.mute_button)
        layout.addWidget(self.volume_slider, 1)

        self.clear_position()

    # --- building ------------------------------------------------------------------------------------

    def _button(self, action_id: str, icon_name: str, size: QSize = ICON_SIZE) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"{action_id}Button")
        button.setIcon(icon(icon_name))
        button.setIconSize(size)
        button.setAutoRaise(True)
        button.setToolTip(tooltip(action_id))
        button.setAccessibleName(tooltip(action_id))
        # Reachable with Tab, but a click does not pull focus away from the timeline or the clip list.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _text_button(self, action_id: str, text: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"{action_id}Button")
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(True)
        button.setToolTip(tooltip(action_id))
        button.setAccessibleName(tooltip(action_id))
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setMinimumHeight(ICON_SIZE.height() + 10)
        return button

    def _readout(self, name: str, muted: bool = False) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        font = QFont(self.font())
        font.setFeature(QFont.Tag("tnum"), 1)  # tabular digits: nothing shifts while playing
        label.setFont(font)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if muted:
            label.setStyleSheet(f"color: {style.MUTED};")
        return label

    def _fit_readouts(self, frame_count: int, duration: float) -> None:
        """Size the read-outs for the widest text this recording can show: its last frame number
        and its length ("00:00.000", or "0:00:00.000" past an hour), so they never jump or clip."""
        widest_time = _zeroed(format_seconds(duration))
        if self._fitted_for == (frame_count, widest_time):
            return
        self._fitted_for = (frame_count, widest_time)
        frame_digits = "0" * max(4, len(str(max(frame_count - 1, 0))))
        for label, widest in ((self.frame_label, f"Frame {frame_digits}"),
                              (self.time_label, widest_time),
                              (self.duration_label, f"/ {widest_time}")):
            metrics = QFontMetrics(label.font())
            label.setMinimumWidth(max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance(NO_TIME)) + 2)

    def _separator(self) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setStyleSheet(f"color: {style.BORDER};")
        line.setFixedHeight(ICON_SIZE.height())
        return line

    # --- what the user asks --------------------------------------------------------------------------

    def _speed_picked(self, speed: float) -> None:
        self._show_speed(speed)
        self.speedChanged.emit(speed)

    def _mute_toggled(self, checked: bool) -> None:
        self._show_muted(checked)
        self.mutedChanged.emit(checked)

    def _volume_moved(self, value: int) -> None:
        if self._muted and value > 0:
            self.mute_button.setChecked(False)  # turning the volume up means "I want to hear it"
        self.volumeChanged.emit(value / 100.0)

    # --- what the player says ------------------------------------------------------------------------

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.play_button.setIcon(icon("pause" if playing else "play"))
        text = tooltip("play_pause", "Pause" if playing else "Play")
        self.play_button.setToolTip(text)
        self.play_button.setAccessibleName(text)

    def set_speed(self, speed: float) -> None:
        """Show `speed` (the nearest menu entry is ticked) without emitting `speedChanged`."""
        self._show_speed(speed)

    def speed(self) -> float:
        return self._speed

    def _show_speed(self, speed: float) -> None:
        self._speed = speed
        nearest = min(SPEEDS, key=lambda s: abs(s - speed))
        self.speed_actions[nearest].setChecked(True)
        self.speed_button.setText(speed_text(speed))

    def set_volume(self, volume: float) -> None:
        """Show a volume 0..1 without emitting `volumeChanged`."""
        self.volume_slider.blockSignals(True)
        self.volume_slider.setValue(round(min(max(volume, 0.0), 1.0) * 100))
        self.volume_slider.blockSignals(False)

    def set_muted(self, muted: bool) -> None:
        """Show muted/unmuted without emitting `mutedChanged`."""
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self._show_muted(muted)

    def is_muted(self) -> bool:
        return self._muted

    def _show_muted(self, muted: bool) -> None:
        self._muted = muted
        self.mute_button.setIcon(icon("mute" if muted else "volume"))
        if self._audio_reason:
            self.mute_button.setToolTip(self._audio_reason)
        else:
            self.mute_button.setToolTip("Turn sound on" if muted else "Mute")
        self.mute_button.setAccessibleName("Turn sound on" if muted else "Mute")

    def set_audio_available(self, available: bool, reason: str = "") -> None:
        """Grey out the sound controls when nothing can be heard (no sound device, no audio track);
        `reason` becomes their tooltip."""
        self._audio_reason = "" if available else (reason or "No sound")
        self.mute_button.setEnabled(available)
        self.volume_slider.setEnabled(available)
        self.volume_slider.setToolTip(self._audio_reason or "Volume")
        self._show_muted(self._muted)

    def set_position(self, frame: int, time: float, frame_count: int, duration: float) -> None:
        """Show the current frame index, its time and the recording's length."""
        self._fit_readouts(frame_count, duration)
        self.frame_label.setText(f"Frame {frame}")
        self.frame_label.setToolTip(f"Frame {frame} of {frame_count} (frames count from 0)")
        self.time_label.setText(format_seconds(time))
        self.duration_label.setText(f"/ {format_seconds(duration)}")

    def clear_position(self) -> None:
        """Nothing loaded."""
        self.frame_label.setText("Frame —")
        self.frame_label.setToolTip("")
        self.time_label.setText(NO_TIME)
        self.duration_label.setText(f"/ {NO_TIME}")


def _zeroed(text: str) -> str:
    """Every digit as 0: with tabular digits, the width of any time of that form."""
    return "".join("0" if ch.isdigit() else ch for ch in text)
