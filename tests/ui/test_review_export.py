"""The export dialog and the library window's review actions, with real files and a real library."""

from __future__ import annotations

import av
import cv2
import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.app.test_review import make_review_session
from tests.ui.shell_support import open_window
from tests.videos import read_frame_number
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import Consent, ConsentScope
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.review import install_review_actions
from vigstudio.ui.review.actions import CHOOSE_FOR_REVIEW, begin_review, open_export_dialog, open_start_dialog
from vigstudio.ui.review.export_dialog import ExportDialog


@pytest.fixture
def made(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    with service.edit() as repos:  # the family may keep copies: what a plain export needs
        repos.consents.add(Consent(repos.cases.by_code("F-014").id, ConsentScope.KEEPSAKE, "practitioner"))
    yield session
    service.close()


def exports_audited(service) -> list[str]:
    with service.read() as repos:
        return [e.object for e in repos.audit.list() if e.action == "export"]


def test_dialog_warns_then_exports_a_clip_exactly(qtbot, made, tmp_path):
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    dialog = ExportDialog(made.service, made.session_id, folder=out_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "leave the encrypted library" in dialog.warning.text()
    assert "keeping copies" in dialog.consent_label.text() and dialog.export_button.isEnabled()
    assert not dialog.slow_check.isEnabled()  # the whole review has no options
    dialog.select("clip", made.clip_ids[1])
    assert dialog.path_edit.text() == str(out_dir / f"F-014-clip{made.clip_ids[1]}.mp4")
    dialog.slow_check.setChecked(True)
    results = []
    dialog.exported.connect(results.append)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    with av.open(str(results[0].path)) as container:
        numbers = [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    assert numbers == list(range(4, 12))
    assert "Exported to" in dialog.status.text()
    assert len(exports_audited(made.service)) == 1


def test_training_export_is_refused_without_consent(qtbot, made, tmp_path):
    dialog = ExportDialog(made.service, made.session_id, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.select("clip", made.clip_ids[0])
    dialog.training_check.setChecked(True)
    assert not dialog.export_button.isEnabled()
    assert "no consent for training" in dialog.consent_label.text()
    with made.service.edit() as repos:
        repos.consents.add(Consent(repos.cases.by_code("F-014").id, ConsentScope.TRAINING, "practitioner"))
    dialog.training_check.setChecked(False)
    dialog.training_check.setChecked(True)
    assert dialog.export_button.isEnabled() and "Faces will be blurred" in dialog.consent_label.text()


def test_dialog_exports_a_still_with_its_caption(qtbot, made, tmp_path):
    dialog = ExportDialog(made.service, made.session_id, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.select("still", made.still_ids[1])
    assert not dialog.caption_check.isEnabled()  # that still has no caption
    dialog.select("still", made.still_ids[0])
    dialog.caption_check.setChecked(True)
    results = []
    dialog.exported.connect(results.append)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    picture = cv2.cvtColor(cv2.imread(str(results[0].path)), cv2.COLOR_BGR2RGB)
    assert results[0].path.suffix == ".png" and read_frame_number(picture) == 24


def test_library_window_actions_start_the_review_and_hide_the_library(qtbot, made, passphrase):
    window = open_window(qtbot, made.service)
    start, export = install_review_actions(window)
    assert start.shortcut().toString() == "F5"
    add_case(window.service, "F-015")  # (with one case, that case is the one when nothing is chosen)
    qtbot.waitUntil(lambda: len([n for n in window.model.all_nodes() if n.kind == NodeKind.CASE]) == 2)
    window.tree.setCurrentIndex(QModelIndex())
    assert open_start_dialog(window) is None  # nothing selected
    assert window.statusBar().currentMessage() == CHOOSE_FOR_REVIEW
    [session_node] = [n for n in window.model.all_nodes() if n.kind == NodeKind.SESSION]
    assert window.tree.select_key(session_node.key)
    dialog = open_export_dialog(window)
    assert dialog is not None and dialog.session_id == made.session_id
    dialog.close()

    mode = begin_review(window, made.session_id, presenter=False)
    assert not window.isVisible() and not window.idle_watcher.active
    assert mode.family.isFullScreen() and mode.presenter is None
    guard = mode.request_exit()
    qtbot.keyClicks(guard.secret_edit, passphrase)
    qtbot.keyClick(guard.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.isVisible())
    assert window.review_mode is None and window.idle_watcher.active


def test_review_pin_dialog_saves_only_matching_digits(qtbot, made):
    from vigstudio.app import review
    from vigstudio.ui.review.actions import SetPinDialog

    dialog = SetPinDialog(made.service)
    qtbot.addWidget(dialog)
    dialog.pin_edit.setText("2580")
    dialog.repeat_edit.setText("2581")
    dialog.save()
    assert "not the same" in dialog.status.text() and not review.has_pin(made.service)
    dialog.repeat_edit.setText("2580")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and review.verify_exit(made.service, "2580")
