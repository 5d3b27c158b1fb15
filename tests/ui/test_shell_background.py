"""The background runner: work off the GUI thread, progress, cancel, clear errors."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui.shell_support import styled_app
from vigstudio.domain.errors import InvalidInput
from vigstudio.ui.background import run_in_background, running_tasks


def _parent(qtbot) -> QWidget:
    styled_app()
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _boxes(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.isVisible()]


def test_work_runs_off_the_gui_thread_and_results_arrive_on_it(qtbot):
    parent = _parent(qtbot)
    seen = {}

    def work(progress):
        seen["work_thread"] = threading.get_ident()
        progress(0.5, "half way")
        return 42

    def succeeded(value):
        seen["value"] = value
        seen["handler_thread"] = threading.get_ident()

    task = run_in_background(parent, work, succeeded, progress_label="Testing…")
    assert task in running_tasks()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["work_thread"] != threading.get_ident()
    assert seen["handler_thread"] == threading.get_ident()
    assert task not in running_tasks()
    assert not _boxes(parent)


def test_progress_feeds_the_dialog_and_cancel_stops_the_work(qtbot):
    parent = _parent(qtbot)
    reached_half = threading.Event()
    outcome = []

    def work(progress):
        progress(0.5, "Encrypting")
        reached_half.set()
        while True:  # long work: each step gives cancel a chance to stop it
            progress(0.5, "Encrypting")
            reached_half.wait(0.005)

    task = run_in_background(parent, work, lambda _r: outcome.append("success"),
                             lambda _e: outcome.append("failure"),
                             on_cancelled=lambda: outcome.append("cancelled"), progress_label="Long work…")
    qtbot.waitUntil(lambda: task.dialog.bar.value() == 500, timeout=5000)
    assert task.dialog.label.text() == "Encrypting"
    assert task.dialog.title.text() == "Long work…"
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.dialog.cancel_button.click()
    assert task.cancelled
    assert outcome == ["cancelled"]
    assert not _boxes(parent)  # cancelling is not an error


def test_an_expected_error_is_shown_as_a_clear_message(qtbot):
    parent = _parent(qtbot)

    def work(_progress):
        raise InvalidInput("file not found: /nowhere/video.mp4")

    task = run_in_background(parent, work, failure_title="Import failed")
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    boxes = _boxes(parent)
    assert len(boxes) == 1
    assert boxes[0].windowTitle() == "Import failed"
    assert boxes[0].text() == "file not found: /nowhere/video.mp4"


def test_on_failure_gets_the_error_instead_of_a_box(qtbot):
    parent = _parent(qtbot)
    errors = []
    task = run_in_background(parent, lambda _p: (_ for _ in ()).throw(InvalidInput("bad code")),
                             on_failure=errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["bad code"]
    assert not _boxes(parent)


def test_an_unexpected_error_is_reported_without_its_message(qtbot):
    parent = _parent(qtbot)

    def work(_progress):
        raise RuntimeError("secret detail F-014 Smith")

    task = run_in_background(parent, work, failure_title="Could not finish")
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    (box,) = _boxes(parent)
    assert "RuntimeError" in box.text()
    assert "Smith" not in box.text() and "F-014" not in box.text()


def test_work_finishing_after_its_window_closed_does_not_run_the_windows_handler(qtbot):
    """The work is done and kept; only the handler, which would reach into deleted widgets, is not run."""
    styled_app()
    parent = QWidget()
    parent.show()
    release = threading.Event()
    ran, handled = [], []

    def work(progress):
        release.wait(5)
        ran.append(True)
        return "written"

    task = run_in_background(parent, work, lambda value: handled.append(parent.windowTitle()))
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent), timeout=5000)
    release.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert ran == [True] and handled == [] and task not in running_tasks()
