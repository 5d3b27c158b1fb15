"""The timeline widget, driven for real (offscreen) with pytest-qt: mapping, zoom, scrub, trim, paint."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollBar, QToolTip, QVBoxLayout, QWidget

from vigstudio.ui.timeline import TimelineClip, TimelineMarker, TimelineWidget
from vigstudio.ui.timeline.geometry import MAX_ZOOM_FRAME_PX, TimelineView
from vigstudio.ui.timeline.peaks import PeakTrack
from vigstudio.ui.timeline.ruler import ruler_mode, ruler_ticks

FPS = 30
LONG_RECORDING = [i / FPS for i in range(20 * 60 * FPS)]  # 20 minutes, 36,000 frames


def vfr_times(count: int = 3000, seed: int = 7) -> list[float]:
    """Phone-style variable frame rate: 1/30 s frames with jitter, bursts at 60 fps and dropped frames."""
    rng = np.random.default_rng(seed)
    steps = rng.choice([1 / 30, 1 / 60, 1 / 15, 1 / 24], size=count - 1, p=[0.7, 0.15, 0.1, 0.05])
    steps = steps * rng.uniform(0.97, 1.03, size=count - 1)
    return [0.0, *np.cumsum(steps).tolist()]


def numbered_thumbnail(frame: int) -> QImage:
    """A small picture per second of video (as a thumbnail strip would hold), tinted by time."""
    second = frame // FPS
    image = QImage(96, 54, QImage.Format.Format_RGB32)
    hue = (second * 23) % 360
    image.fill(QColor.fromHsv(hue, 35, 190))
    painter = QPainter(image)
    painter.fillRect(30, 14, 36, 30, QColor.fromHsv((hue + 180) % 360, 25, 130))
    painter.setPen(QColor("#263238"))
    painter.drawText(4, 12, str(second))
    painter.end()
    return image


def speech_like_peaks(seconds: float, bins_per_second: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(int(seconds * bins_per_second)) / bins_per_second
    envelope = 0.15 + 0.6 * np.abs(np.sin(t * 0.9)) * (np.sin(t * 7.0) > -0.2)
    rng = np.random.default_rng(3)
    maxs = (envelope * rng.uniform(0.4, 1.0, t.size)).astype(np.float32)
    mins = -(envelope * rng.uniform(0.4, 1.0, t.size)).astype(np.float32)
    return mins, maxs


@pytest.fixture
def timeline(qtbot) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 170)
    widget.set_recording(LONG_RECORDING)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def zoom_to_frame_px(widget: TimelineWidget, frame_px: float, around_frame: int) -> None:
    """Zoom so a frame is `frame_px` wide, with `around_frame` in the middle of the view."""
    widget.set_zoom(frame_px * FPS, anchor_x=widget.width() / 2)
    widget.view.set_start_time(widget.view.axis.frame_time(around_frame) - widget.view.viewport.visible_seconds / 2)


def wheel(widget: QWidget, x: float, y: float, dy: int = 0, dx: int = 0,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    pos = QPointF(x, y)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(dx, dy),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def ruler_y(widget: TimelineWidget) -> int:
    return int(widget.lanes.ruler.top + widget.lanes.ruler.height / 2)


def clip_lane_y(widget: TimelineWidget) -> int:
    return int(widget.lanes.clips.top + widget.lanes.clips.height / 2)


def distinct_colours(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32,
                           count=image.bytesPerLine() * image.height() // 4)
    return int(np.unique(pixels).size)


# ----- frame <-> x ---------------------------------------------------------------------------------
@pytest.mark.parametrize("times", [LONG_RECORDING, vfr_times()], ids=["cfr-36000", "vfr"])
def test_frame_x_round_trips_at_several_zooms(times):
    view = TimelineView(times, width_px=1000)
    frame_count = len(times)
    for pixels_per_second in (view.min_pixels_per_second, 3.0, 40.0, 400.0, view.max_pixels_per_second):
        view.set_zoom(pixels_per_second, anchor_x=500)
        visible = view.visible_frames()
        assert len(visible) > 0
        samples = np.linspace(visible.start, visible.stop - 1, num=min(len(visible), 60)).astype(int)
        for frame in samples.tolist():
            assert view.x_to_frame(view.frame_center_x(frame)) == frame
            assert view.x_to_frame(view.frame_to_x(frame) + 1e-6) == frame  # left edge belongs to it
            assert view.x_to_boundary(view.frame_to_x(frame)) == frame
        # Outside the recording clamps to its ends instead of inventing frames.
        assert view.x_to_frame(view.viewport.time_to_x(times[0] - 5.0)) == 0
        assert view.x_to_frame(view.viewport.time_to_x(times[-1] + 5.0)) == frame_count - 1


def test_x_positions_come_from_frame_times_not_indices():
    times = vfr_times(500)
    view = TimelineView(times, width_px=1200)
    view.set_zoom(200.0, anchor_x=0)
    pps = view.pixels_per_second
    for frame in (1, 17, 200, 333):
        assert view.frame_to_x(frame) - view.frame_to_x(0) == pytest.approx((times[frame] - times[0]) * pps)
    widths = [view.frame_width(f) for f in range(1, 60)]
    assert max(widths) > 2.5 * min(widths)  # a 1/15 s frame is drawn four times as wide as a 1/60 s one


def test_deepest_zoom_makes_single_frames_wide_enough_to_click(timeline):
    timeline.set_playhead(18_000)
    for _ in range(40):
        timeline.zoom_in()
    view = timeline.view
    assert view.pixels_per_second == pytest.approx(view.max_pixels_per_second)
    frames = list(timeline.visible_frames())
    assert 10 <= len(frames) < 40
    gaps = [timeline.frame_to_x(f + 1) - timeline.frame_to_x(f) for f in frames[:-1]]
    assert min(gaps) >= 40 and MAX_ZOOM_FRAME_PX == pytest.approx(gaps[0])
    assert 18_000 in frames  # zoomed around the playhead
    # Every visible frame has its own ruler tick, and labels are frame numbers.
    assert ruler_mode(view) == "frames"
    ticks = ruler_ticks(view)
    assert len(ticks) == len(frames)
    assert {t.label for t in ticks if t.label} >= {"18000"}
    # Zoomed all the way out the whole recording fits and the labels are minutes:seconds.
    timeline.zoom_to_fit()
    assert ruler_mode(view) == "minutes"
    assert timeline.visible_frames() == range(0, 36_000)
    assert "10:00" in {t.label for t in ruler_ticks(view)}
    timeline.set_zoom(200.0)
    assert ruler_mode(view) == "seconds"
    assert any(t.label and t.label.endswith(".5") for t in ruler_ticks(view))


def test_ctrl_wheel_zooms_around_the_mouse_and_plain_wheel_pans(timeline):
    y = ruler_y(timeline)
    for x in (150.0, 700.0):
        frame_under_mouse = timeline.x_to_frame(x)
        before = timeline.view.pixels_per_second
        for _ in range(12):
            wheel(timeline, x, y, dy=120, modifiers=Qt.KeyboardModifier.ControlModifier)
        assert timeline.view.pixels_per_second > 10 * before
        assert timeline.x_to_frame(x) == frame_under_mouse
        assert abs(timeline.frame_center_x(frame_under_mouse) - x) < timeline.view.typical_frame_px
    pps, start = timeline.view.pixels_per_second, timeline.view.viewport.start_time
    wheel(timeline, 500, y, dy=-120)  # plain wheel: pan later, same zoom
    assert timeline.view.viewport.start_time > start
    assert timeline.view.pixels_per_second == pps
    start = timeline.view.viewport.start_time
    wheel(timeline, 500, y, dx=120)  # horizontal scroll: pan earlier
    assert timeline.view.viewport.start_time < start
    # The scrollbar reflects the zoomed view and pans it too.
    scrollbar = timeline.findChild(QScrollBar)
    assert scrollbar.isEnabled() and scrollbar.maximum() > 0
    scrollbar.setValue(scrollbar.maximum())
    assert timeline.visible_frames()[-1] == 35_999
    for _ in range(30):
        wheel(timeline, 500, y, dy=-120, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert not scrollbar.isEnabled()
    assert timeline.visible_frames() == range(0, 36_000)  # cannot zoom out past the whole recording


def test_plus_minus_zoom_around_the_playhead_and_transport_keys_pass_through(qtbot):
    parent = QWidget()
    seen_keys: list[int] = []
    parent.keyPressEvent = lambda event: seen_keys.append(event.key())
    layout = QVBoxLayout(parent)
    timeline = TimelineWidget()
    layout.addWidget(timeline)
    qtbot.addWidget(parent)
    parent.resize(1000, 200)
    timeline.set_recording(LONG_RECORDING)
    parent.show()
    qtbot.waitExposed(parent)
    timeline.setFocus()
    timeline.set_playhead(9_000)
    x_before = timeline.frame_to_x(9_000)
    pps = timeline.view.pixels_per_second
    qtbot.keyClick(timeline, Qt.Key.Key_Plus)
    qtbot.keyClick(timeline, Qt.Key.Key_Plus)
    assert timeline.view.pixels_per_second == pytest.approx(pps * 1.5 ** 2)
    assert timeline.frame_to_x(9_000) == pytest.approx(x_before, abs=1e-6)
    qtbot.keyClick(timeline, Qt.Key.Key_Minus)
    assert timeline.view.pixels_per_second == pytest.approx(pps * 1.5)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    assert seen_keys == [Qt.Key.Key_Right, Qt.Key.Key_Left]
    assert timeline.playhead == 9_000


def test_scrubbing_emits_each_frame_under_the_pointer_and_seeks_on_release(timeline, qtbot):
    zoom_to_frame_px(timeline, 12.0, around_frame=5_000)
    y = ruler_y(timeline)
    scrubbed: list[int] = []
    seeks: list[int] = []
    timeline.scrubbed.connect(scrubbed.append)
    timeline.seekRequested.connect(seeks.append)
    first = timeline.x_to_frame(300)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.frame_center_x(first)), y))
    path = [first + 1, first + 2, first + 5, first + 4]
    for frame in path:
        qtbot.mouseMove(timeline, QPoint(int(timeline.frame_center_x(frame)), y))
    assert seeks == []
    # Scrubbing on the thumbnail strip works the same way.
    strip_y = int(timeline.lanes.thumbs.top + 5)
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.frame_center_x(first + 4)), y))
    assert scrubbed == [first, *path]
    assert seeks == [first + 4]
    assert timeline.playhead == first + 4
    scrubbed.clear()
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.frame_center_x(first + 9)), strip_y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.frame_center_x(first + 9)), strip_y))
    assert scrubbed == [first + 9] and seeks[-1] == first + 9


def test_view_follows_the_playhead_page_wise_but_not_while_scrubbing(timeline, qtbot):
    zoom_to_frame_px(timeline, 4.0, around_frame=1_000)
    timeline.set_playhead(1_000)
    timeline.set_playing(True)
    starts = set()
    frame = 1_000
    while timeline.view.is_frame_visible(frame):
        timeline.set_playhead(frame)
        starts.add(timeline.view.viewport.start_time)
        frame += 1
    assert len(starts) == 1  # no jitter: the view stands still while the playhead sweeps across
    timeline.set_playhead(frame)  # ran off the right edge: turn the page
    assert timeline.view.is_frame_visible(frame)
    assert timeline.frame_to_x(frame) < timeline.width() * 0.2  # the playhead starts the new page
    # While the user scrubs, playback updates never move the view under their pointer.
    y = ruler_y(timeline)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(400, y))
    start = timeline.view.viewport.start_time
    timeline.set_playhead(30_000)
    assert timeline.view.viewport.start_time == start
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(400, y))
    # Paused, a jump (Home, a clip in the list) brings the playhead into view.
    timeline.set_playing(False)
    timeline.set_playhead(20_000)
    assert timeline.view.is_frame_visible(20_000)


@pytest.mark.parametrize("k", [3, -4])
def test_dragging_the_start_handle_trims_frame_by_frame(timeline, qtbot, k):
    zoom_to_frame_px(timeline, 14.0, around_frame=2_010)
    clip = TimelineClip(7, 2_000, 2_020, "Waiting together", "#6f8fb0")
    timeline.set_clips([clip])
    trims: list[tuple] = []
    selected: list = []
    timeline.clipTrimmed.connect(lambda *args: trims.append(args))
    timeline.clipSelected.connect(selected.append)
    y = clip_lane_y(timeline)
    x = timeline.frame_to_x(2_000) + 2
    frame_px = timeline.view.frame_width(2_000)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(x), y))
    step = 1 if k > 0 else -1
    for i in range(1, abs(k) + 1):
        qtbot.mouseMove(timeline, QPoint(round(x + step * i * frame_px), y))
    assert trims and all(final is False for *_, final in trims)
    assert trims[-1] == (7, 2_000 + k, 2_020, False)
    assert [t[1] for t in trims] == [2_000 + step * i for i in range(1, abs(k) + 1)]  # one frame at a time
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(x + k * frame_px), y))
    assert trims[-1] == (7, 2_000 + k, 2_020, True)
    assert sum(1 for *_, final in trims if final) == 1
    assert selected == [7]  # grabbing a handle selects its clip


def test_trimming_never_empties_a_clip_or_leaves_the_recording(timeline, qtbot):
    zoom_to_frame_px(timeline, 20.0, around_frame=35_990)
    timeline.set_clips([TimelineClip("a", 35_985, 35_995, "Turn-taking", "#8aa37b")])
    trims: list[tuple] = []
    timeline.clipTrimmed.connect(lambda *args: trims.append(args))
    y = clip_lane_y(timeline)
    start_x = round(timeline.frame_to_x(35_985) + 2)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(start_x, y))
    qtbot.mouseMove(timeline, QPoint(start_x + 600, y))  # far past the end handle
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(start_x + 600, y))
    assert trims[-1] == ("a", 35_994, 35_995, True)  # one frame left
    trims.clear()
    end_x = round(timeline.frame_to_x(35_995) - 2)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(end_x, y))
    qtbot.mouseMove(timeline, QPoint(end_x + 900, y))  # past the end of the recording
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(end_x + 900, y))
    assert trims[-1] == ("a", 35_994, 36_000, True)
    trims.clear()
    x = round(timeline.frame_to_x(36_000) - 2)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseMove(timeline, QPoint(x - 700, y))  # end handle dragged back past the start
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x - 700, y))
    assert trims[-1] == ("a", 35_994, 35_995, True)
    trims.clear()
    # A press and release on a handle without moving is not an edit.
    x = round(timeline.frame_to_x(35_995) - 2)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert trims == []


def test_clicking_a_band_selects_it_and_hover_and_tooltips_explain_it(timeline, qtbot):
    zoom_to_frame_px(timeline, 6.0, around_frame=3_050)
    timeline.set_clips([TimelineClip(1, 3_000, 3_090, "She turns to you", "#6f8fb0"),
                        TimelineClip(2, 3_100, 3_130, "Shared smile", "#b08f6f")])
    timeline.set_markers([(3_095, "look again: the pause")])
    selected: list = []
    scrubbed: list[int] = []
    timeline.clipSelected.connect(selected.append)
    timeline.scrubbed.connect(scrubbed.append)
    y = clip_lane_y(timeline)
    middle = round(timeline.frame_center_x(3_045))
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(middle, y))
    assert selected == [1] and scrubbed == []
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.frame_center_x(3_115)), y))
    assert selected == [1, 2]
    tooltip = timeline.tooltip_at(middle, y)
    assert "She turns to you" in tooltip and "3.0 s" in tooltip and "90 frames" in tooltip
    marker_x = timeline.frame_to_x(3_095) + 3
    assert timeline.tooltip_at(marker_x, ruler_y(timeline)) == "look again: the pause"
    assert timeline.tooltip_at(middle, timeline.lanes.wave.top + 5) == ""
    # The real tooltip event shows the same text.
    help_event = QHelpEvent(QEvent.Type.ToolTip, QPoint(middle, y), timeline.mapToGlobal(QPoint(middle, y)))
    QApplication.sendEvent(timeline, help_event)
    assert QToolTip.text() == tooltip
    qtbot.mouseMove(timeline, QPoint(round(timeline.frame_to_x(3_090) - 2), y))
    assert timeline.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(timeline, QPoint(middle, timeline.lanes.wave.top + 5))
    assert timeline.cursor().shape() != Qt.CursorShape.SizeHorCursor


def test_painting_reads_only_the_visible_range(timeline):
    calls: list[int] = []

    def provider(frame: int) -> QImage:
        calls.append(frame)
        return numbered_thumbnail(frame)

    timeline.set_thumbnail_provider(provider)
    mins, maxs = speech_like_peaks(20 * 60)
    timeline.set_waveform(mins, maxs, 100.0)
    timeline.grab()
    tile_w = timeline.lanes.thumbs.height * 96 / 54
    fit_calls = len(set(calls))
    assert 0 < fit_calls <= timeline.width() / (tile_w - 4) + 2
    calls.clear()
    timeline.grab()  # a repaint of the same view asks the provider nothing new
    assert calls == []
    for frame_px in (MAX_ZOOM_FRAME_PX, 20.0):
        calls.clear()
        zoom_to_frame_px(timeline, frame_px, around_frame=30_000)
        timeline.grab()
        visible = timeline.visible_frames()
        assert calls and min(calls) >= visible.start - 4 and max(calls) < visible.stop + 4
    assert len(ruler_ticks(timeline.view)) <= len(timeline.visible_frames())


def test_waveform_columns_put_loud_audio_where_it_happened():
    view = TimelineView([i / FPS for i in range(FPS * 10)], width_px=1010)  # 10 s over 1000 px
    mins = np.full(1000, -0.01, dtype=np.float32)
    maxs = np.full(1000, 0.01, dtype=np.float32)
    mins[600:610], maxs[600:610] = -0.9, 0.9  # a loud moment at 6.0–6.1 s
    xs, lo, hi = PeakTrack(mins, maxs, 100.0).columns(view.viewport)
    loud = xs[hi > 0.5]
    assert loud.min() >= view.viewport.time_to_x(5.99) and loud.max() <= view.viewport.time_to_x(6.11)
    assert PeakTrack(np.array([]), np.array([]), 100.0).is_empty


def test_everything_paints_at_every_zoom_and_looks_like_a_timeline(timeline, tmp_path):
    timeline.set_thumbnail_provider(numbered_thumbnail)
    mins, maxs = speech_like_peaks(20 * 60)
    timeline.set_waveform(mins, maxs, 100.0)
    timeline.set_clips([TimelineClip(1, 2_790, 2_950, "Waiting for her lead", "#6f8fb0"),
                        TimelineClip(2, 3_050, 3_140, "Shared smile", "#b0906f"),
                        TimelineClip(3, 9_000, 9_400, "Turn-taking with the rattle", "#7f9f84")])
    timeline.set_selected_clip(1)
    timeline.set_markers([TimelineMarker(2_700, "look again"), TimelineMarker(3_000, "")])
    timeline.set_in_out(2_960, 3_020)
    timeline.set_playhead(2_980)
    images = {}
    for name, frame_px in (("fit", None), ("minutes", 0.4), ("seconds", 3.0), ("frames", 40.0)):
        if frame_px is None:
            timeline.zoom_to_fit()
        else:
            zoom_to_frame_px(timeline, frame_px, around_frame=2_980)
        image = timeline.grab().toImage()
        assert distinct_colours(image) > 40, name
        images[name] = image
    images["seconds"].save(str(tmp_path / "timeline.png"))
    # An empty recording and a recording without audio still paint, quietly.
    timeline.set_waveform(np.array([]), np.array([]), 100.0)
    assert distinct_colours(timeline.grab().toImage()) > 10
    timeline.set_recording([])
    timeline.set_playhead(5)
    assert timeline.playhead == 0
    assert distinct_colours(timeline.grab().toImage()) > 2


def test_trim_on_variable_frame_rate_snaps_to_real_frame_edges(qtbot):
    times = vfr_times(600)
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 170)
    timeline.set_recording(times)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_zoom(600.0)  # frames between ~10 and ~40 px wide
    timeline.view.set_start_time(times[100])
    timeline.set_clips([TimelineClip(3, 110, 140, "Follows his gaze")])
    trims: list[tuple] = []
    timeline.clipTrimmed.connect(lambda *args: trims.append(args))
    y = clip_lane_y(timeline)
    grab_x = timeline.frame_to_x(140) - 2
    # Aim 40% of the way into frame 146: the handle snaps to the nearer edge, boundary 146.
    target = timeline.frame_to_x(146) + 0.4 * timeline.view.frame_width(146)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(grab_x), y))
    qtbot.mouseMove(timeline, QPoint(round(target - 2), y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(target - 2), y))
    assert trims[-1] == (3, 110, 146, True)
    scrubbed: list[int] = []
    timeline.scrubbed.connect(scrubbed.append)
    for frame in (120, 121, 135):
        x = round(timeline.frame_center_x(frame))
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, ruler_y(timeline)))
    assert scrubbed == [120, 121, 135]


def test_integer_pcm_peaks_are_normalised():
    maxs = np.array([0, 16384, 32767], dtype=np.int16)
    track = PeakTrack(-maxs, maxs, 10.0)
    assert track.maxs.max() == pytest.approx(1.0, abs=1e-4) and track.mins.min() == pytest.approx(-1.0, abs=1e-4)
