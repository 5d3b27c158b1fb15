"""The stills list shows each still's own picture as soon as the editor opens (decoded in the
background through the app), without the practitioner first showing that frame in the viewer."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.ui.test_editor_support import library, numbered_video, open_editor  # noqa: F401 (fixtures)
from tests.videos import read_frame_number
from vigstudio.app import editing
from vigstudio.ui.background import running_tasks
from vigstudio.ui.editor.still_pictures import StillPictureLoader
from vigstudio.ui.editor.stills_panel import PREVIEW_HEIGHT, STILL_ID_ROLE

STILL_FRAMES = (12, 40, 66)


def picture_number(image: QImage) -> int:
    """The frame number drawn into a picture (see tests/videos.py)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return read_frame_number(rows[:, : width * 3].reshape(height, width, 3))


def frames_shown(window) -> list[int]:
    shown: list[int] = []
    window.playback.frameShown.connect(shown.append)
    return shown


@pytest.fixture
def session_with_stills(library):  # noqa: F811
    service, session_id = library
    [recording] = editing.recordings_of_session(service, session_id)
    for frame in STILL_FRAMES:
        editing.add_still(service, recording.id, frame, f"Caption at {frame}")
    return service, session_id, recording.id


def has_picture(window, recording_id: int, frame: int) -> bool:
    return window.stills.model.picture(recording_id, frame) is not None


def test_stills_show_their_own_pictures_when_the_editor_opens(qtbot, session_with_stills):
    service, session_id, recording_id = session_with_stills
    window = open_editor(qtbot, service, session_id)
    shown = frames_shown(window)
    model = window.stills.model

    qtbot.waitUntil(lambda: all(has_picture(window, recording_id, f) for f in STILL_FRAMES))

    for row, frame in enumerate(STILL_FRAMES):
        picture = model.picture(recording_id, frame)
        assert (picture.width(), picture.height()) == (round(PREVIEW_HEIGHT * 2 * 320 / 240), PREVIEW_HEIGHT * 2)
        assert picture_number(picture.toImage()) == frame  # the still's exact frame
        icon = model.data(model.index(row), Qt.ItemDataRole.DecorationRole)
        assert picture_number(icon.pixmap(QSize(192, 108)).toImage()) == frame  # not the generic icon
    assert not set(shown) & set(STILL_FRAMES)  # the viewer never showed them
    assert window.view.frame_index() == 0

    window.stills.select_still(model.data(model.index(1), STILL_ID_ROLE))
    preview = window.stills.preview.pixmap()
    assert picture_number(preview.toImage()) == 40  # the picture, not the words "Frame 40"
    window.close()


def test_a_still_added_elsewhere_gets_its_picture_without_being_shown(qtbot, session_with_stills):
    service, session_id, recording_id = session_with_stills
    window = open_editor(qtbot, service, session_id)
    shown = frames_shown(window)
    qtbot.waitUntil(lambda: all(has_picture(window, recording_id, f) for f in STILL_FRAMES))

    editing.add_still(service, recording_id, 55)  # e.g. from the command line, or an undone delete

    qtbot.waitUntil(lambda: has_picture(window, recording_id, 55))
    assert picture_number(window.stills.model.picture(recording_id, 55).toImage()) == 55
    assert 55 not in shown
    window.close()


def test_a_stopped_loader_hands_over_nothing_more(qtbot, session_with_stills):
    service, _session_id, recording_id = session_with_stills
    loader = StillPictureLoader(service, 60)
    received: list[int] = []

    def arrived(rid: int, frame: int, image: QImage) -> None:
        received.append(picture_number(image))
        loader.stop()  # the editor closes after the first picture

    loader.pictureReady.connect(arrived)
    loader.request((recording_id, frame) for frame in range(0, 75, 3))
    qtbot.waitUntil(lambda: bool(received))
    qtbot.waitUntil(lambda: not loader.busy)
    QApplication.processEvents()  # pictures already queued for the GUI thread arrive now, or never

    assert received == [0]
    loader.request([(recording_id, 1)])
    assert not loader.busy  # and it starts nothing new


def test_locking_the_library_while_pictures_decode_ends_quietly(qtbot, session_with_stills):
    service, session_id, recording_id = session_with_stills
    window = open_editor(qtbot, service, session_id)
    loader = window.stills.pictures
    before = {f for f in STILL_FRAMES if has_picture(window, recording_id, f)}

    service.close()  # what locking does: the editor's session closes with the library

    qtbot.waitUntil(lambda: not window.isVisible())
    qtbot.waitUntil(lambda: not loader.busy and not running_tasks())
    QApplication.processEvents()
    after = {f for f in STILL_FRAMES if has_picture(window, recording_id, f)}
    assert after == before  # nothing accepted once the session closed
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox" and w.isVisible()]
