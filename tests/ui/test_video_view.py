"""FrameView on real widgets, offscreen: geometry, pixels where they should be, overlay, notices."""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from vigstudio.ui.video_view import BACKGROUND, FrameView, wrap_rgb

RED, GREEN, BLUE, WHITE = (220, 30, 30), (30, 200, 60), (40, 60, 220), (250, 250, 250)


def quadrants(width: int, height: int) -> np.ndarray:
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    frame = np.empty((height, width, 3), np.uint8)
    half_w, half_h = width // 2, height // 2
    frame[:half_h, :half_w] = RED
    frame[:half_h, half_w:] = GREEN
    frame[half_h:, :half_w] = BLUE
    frame[half_h:, half_w:] = WHITE
    return frame


def close_to(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb,
                                                       strict=True))


@pytest.fixture
def view(qtbot):
    widget = FrameView()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    return widget


def test_square_pixels_are_letterboxed_top_and_bottom(view):
    view.set_frame(0, quadrants(160, 90))
    assert view.display_size().width() == 160
    assert view.picture_rect() == QRect(0, 37, 400, 225)


def test_sample_aspect_ratio_widens_the_picture(view):
    view.resize(500, 300)
    view.set_frame(0, quadrants(720, 576))
    square = view.picture_rect()
    assert square == QRect(62, 0, 375, 300)

    view.set_sample_aspect_ratio(16 / 15)
    assert view.display_size().width() == 768  # PAL 4:3: 720 stored pixels, 768 shown
    assert view.picture_rect() == QRect(50, 0, 400, 300)


@pytest.mark.parametrize("nonsense", [0, -1.0, math.nan, None])
def test_a_missing_or_nonsense_aspect_ratio_means_square_pixels(view, nonsense):
    view.set_sample_aspect_ratio(2.0)
    view.set_sample_aspect_ratio(nonsense)
    assert view.sample_aspect_ratio() == 1.0


def test_portrait_phone_frame_is_pillarboxed(view):
    # Frames come upright from the media engine: a phone filmed in portrait is taller than wide.
    view.set_frame(0, quadrants(90, 160))
    assert view.picture_rect() == QRect(115, 0, 169, 300)


def test_picture_rect_follows_the_widget_size(view):
    view.set_frame(0, quadrants(160, 90))
    view.resize(800, 900)
    assert view.picture_rect() == QRect(0, 225, 800, 450)


@pytest.mark.parametrize("playing", [False, True], ids=["paused-smooth", "playing-fast"])
def test_numpy_frame_lands_where_expected_with_sar_applied(view, playing):
    # 32×36 stored pixels at SAR 2 show as 64×36 (16:9): 400×225 in the 400×300 widget, from y=37.
    view.set_overlay_visible(False)
    view.set_sample_aspect_ratio(2.0)
    view.set_frame(7, quadrants(32, 36))
    view.set_playing(playing)
    shot = view.grab().toImage()

    assert close_to(shot.pixelColor(100, 37 + 56), RED)
    assert close_to(shot.pixelColor(300, 37 + 56), GREEN)
    assert close_to(shot.pixelColor(100, 37 + 168), BLUE)
    assert close_to(shot.pixelColor(300, 37 + 168), WHITE)
    for letterbox in ((200, 10), (200, 290)):
        assert shot.pixelColor(*letterbox) == BACKGROUND


def test_qimage_frames_are_shown_too(view):
    view.set_overlay_visible(False)
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor(*GREEN))
    view.set_frame(3, image)
    assert view.frame_index() == 3
    assert close_to(view.grab().toImage().pixelColor(200, 150), GREEN)


def test_numpy_frame_is_wrapped_without_a_copy_and_kept_alive(view):
    frame = quadrants(64, 36)
    address = frame.__array_interface__["data"][0]
    view.set_frame(1, frame)
    shown = np.frombuffer(view.image().constBits(), np.uint8)
    assert shown.__array_interface__["data"][0] == address

    del frame, shown
    gc.collect()  # the view holds the buffer: the picture must still be intact
    assert close_to(view.image().pixelColor(0, 0), RED)
    assert close_to(view.image().pixelColor(63, 35), WHITE)


def test_a_strided_view_is_copied_once_and_shows_right(view):
    wide = quadrants(128, 36)
    crop = wide[:, 32:96]  # not contiguous: rows are 128 pixels apart
    image, held = wrap_rgb(crop)
    assert held.flags.c_contiguous and not np.shares_memory(held, wide)
    assert close_to(image.pixelColor(0, 0), RED) and close_to(image.pixelColor(63, 0), GREEN)


def test_wrong_frame_shapes_are_refused(view):
    with pytest.raises(ValueError):
        view.set_frame(0, np.zeros((36, 64), np.uint8))
    with pytest.raises(ValueError):
        view.set_frame(0, np.zeros((36, 64, 3), np.float32))


def test_overlay_shows_frame_and_time_and_can_be_hidden(view):
    grey = np.full((225, 400, 3), 128, np.uint8)
    view.set_frame(120, grey, seconds=4.8)
    assert view.overlay_text() == "Frame 120  ·  00:04.800"
    assert view.overlay_visible()
    picture = view.picture_rect()
    label_area = view.overlay_rect().toAlignedRect()
    # in the black band above the picture, off the picture itself (it covered the picture's corner)
    assert not label_area.isEmpty() and label_area.bottom() < picture.top()
    with_label = view.grab().toImage().copy(label_area)
    picture_before = view.grab().toImage().copy(picture)

    view.set_overlay_visible(False)
    without_label = view.grab().toImage().copy(label_area)
    assert with_label != without_label
    assert view.grab().toImage().copy(picture) == picture_before  # the picture is the same either way

    view.set_time_text("00:04.800 of 20:00")
    assert view.overlay_text().endswith("00:04.800 of 20:00")
    view.set_frame_time(83.5)
    assert view.overlay_text() == "Frame 120  ·  01:23.500"


def test_notice_is_drawn_then_fades_away(view, qtbot):
    view.set_frame(0, np.full((300, 400, 3), 128, np.uint8))
    view.set_overlay_visible(False)
    plain = view.grab().toImage()

    view.show_notice("No sound device — playing silently", timeout_ms=30)
    assert view.notice_text() == "No sound device — playing silently"
    assert view.grab().toImage() != plain
    qtbot.waitUntil(lambda: view.notice_text() == "", timeout=5000)
    assert view.grab().toImage() == plain


def test_notice_without_timeout_stays_until_cleared(view, qtbot):
    view.show_notice("Audio unavailable", timeout_ms=None)
    qtbot.wait(50)
    assert view.notice_text() == "Audio unavailable"
    view.clear_notice()
    assert view.notice_text() == ""


def test_placeholder_when_there_is_no_recording(view):
    assert not view.has_frame()
    assert "No recording open" in view.placeholder_text()
    empty = view.grab().toImage()
    middle_row = {empty.pixelColor(x, y).name() for x in range(100, 300) for y in range(130, 160)}
    assert len(middle_row) > 1  # words are drawn, not just the background

    view.set_frame(0, quadrants(64, 36))
    view.clear()
    assert not view.has_frame() and view.frame_index() is None and view.overlay_text() == ""
    view.set_placeholder_text("This session has no recording yet")
    assert view.placeholder_text() == "This session has no recording yet"


def test_with_no_band_beside_the_picture_the_label_is_left_off(view):
    view.resize(400, 225)  # the picture fills the view: the transport bar shows frame and time instead
    view.set_frame(7, np.full((225, 400, 3), 128, np.uint8), seconds=0.28)
    assert view.overlay_rect().isEmpty()
    image = view.grab().toImage()
    assert {image.pixelColor(x, y).red() for x in range(0, 150, 7) for y in range(0, 40, 5)} == {128}
