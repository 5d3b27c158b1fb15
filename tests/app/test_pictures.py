"""The app's `still_pictures`: exact frames of an encrypted recording, small, in memory, cancellable."""

from __future__ import annotations

import pytest

from tests.videos import make_video, read_frame_number
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.pictures import still_pictures
from vigstudio.app.progress import Progress
from vigstudio.domain.errors import Cancelled


def test_still_pictures_are_the_exact_frames_scaled_to_the_height_asked(service, video):
    add_case(service, "F-014", referral="health_visitor")
    recording = import_recording(service, "F-014", video)

    pictures = list(still_pictures(service, recording.id, [40, 7, 23, 7, 999], height=120))

    assert [frame for frame, _ in pictures] == [7, 23, 40]  # ascending, once each; 999 is past the end
    for frame, rgb in pictures:
        assert rgb.shape == (120, 160, 3)  # 320×240, square pixels
        assert read_frame_number(rgb) == frame


def test_still_pictures_turn_portrait_phone_video_upright(service, tmp_path):
    phone = make_video(tmp_path / "phone.mp4", frames=20, size=(320, 240), rotation=90)
    add_case(service, "F-014", referral="health_visitor")
    recording = import_recording(service, "F-014", phone)

    [(frame, rgb)] = list(still_pictures(service, recording.id, [13], height=160))

    assert frame == 13 and rgb.shape == (160, 120, 3)
    assert read_frame_number(rgb) == 13


def test_cancelled_still_pictures_stop_before_the_next_picture(service, video):
    add_case(service, "F-014", referral="health_visitor")
    recording = import_recording(service, "F-014", video)
    progress = Progress()
    pictures = still_pictures(service, recording.id, [5, 15, 25], height=60, progress=progress)

    first, _ = next(pictures)
    progress.cancel()  # as the editor does when it closes
    with pytest.raises(Cancelled):
        next(pictures)
    assert first == 5
