"""The unlock / create window, the demo library and the scripted start (VIGSTUDIO_PASSPHRASE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.shell_support import labels_in_tree, make_library, nodes_of, open_window, styled_app
from vigstudio.app import demo as demo_library
from vigstudio.ui import settings
from vigstudio.ui.app import Shell
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.unlock_window import UnlockWindow


def _window(qtbot, path: str | None = None) -> UnlockWindow:
    styled_app()
    window = UnlockWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _close_when_done(service):
    if service.is_open:
        service.close()


def test_first_start_offers_create_open_and_demo(qtbot):
    window = _window(qtbot)
    assert window.pages.currentIndex() == UnlockWindow.WELCOME
    choices = (window.create_choice, window.open_choice, window.demo_choice)
    assert all(choice.isVisible() and choice.isEnabled() for choice in choices)
    assert [c.title_label.text() for c in choices] == [
        "Create a new library", "Open an existing library", "Try the demo library"]
    assert "no real family" in window.demo_choice.detail_label.text()


def test_create_a_library_refusing_a_short_passphrase_inline(qtbot, tmp_path, passphrase):
    window = _window(qtbot)
    qtbot.mouseClick(window.create_choice, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == UnlockWindow.CREATE
    assert window.new_passphrase_edit.echoMode() == window.new_passphrase_edit.EchoMode.Password
    target = tmp_path / "My library"
    window.location_edit.setText(str(target))

    qtbot.keyClicks(window.new_passphrase_edit, "short")
    qtbot.keyClicks(window.repeat_passphrase_edit, "short")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert "at least 10 characters" in window.create_error.text()
    assert window.isVisible() and not target.exists()

    window.new_passphrase_edit.setText(passphrase)
    window.repeat_passphrase_edit.setText(passphrase + "!")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert "not the same" in window.create_error.text()
    assert not target.exists()

    window.repeat_passphrase_edit.setText(passphrase)
    with qtbot.waitSignal(window.unlocked, timeout=10000) as opened:
        qtbot.keyClick(window.repeat_passphrase_edit, Qt.Key.Key_Return)
    service = opened.args[0]
    try:
        assert service.is_open and Path(service.path) == target
        assert (target / "library.key").is_file()
        # Only the folder's path is remembered, never the passphrase.
        assert settings.recent_libraries() == [str(target.resolve())]
        ini = settings.gui_settings().fileName()
        assert passphrase not in Path(ini).read_text()
    finally:
        _close_when_done(service)


def test_wrong_passphrase_is_shown_inline_and_the_window_stays(qtbot, tmp_path, passphrase):
    make_library(tmp_path / "lib", passphrase).close()
    window = _window(qtbot, str(tmp_path / "lib"))
    assert window.pages.currentIndex() == UnlockWindow.UNLOCK
    assert "lib" in window.library_label.text()

    qtbot.keyClicks(window.passphrase_edit, "not the right one")
    task = window.submit_unlock()
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert "Wrong passphrase for library" in window.unlock_error.text()
    assert window.isVisible() and window.pages.currentIndex() == UnlockWindow.UNLOCK
    assert window.unlock_button.isEnabled()

    window.passphrase_edit.setText(passphrase)
    assert window.unlock_error.text() == ""  # typing again clears the old message
    with qtbot.waitSignal(window.unlocked, timeout=10000) as opened:
        qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    _close_when_done(opened.args[0])


def test_a_folder_that_is_not_a_library_says_so(qtbot, tmp_path, passphrase):
    (tmp_path / "holiday photos").mkdir()
    window = _window(qtbot, str(tmp_path / "holiday photos"))
    window.passphrase_edit.setText(passphrase)
    with qtbot.waitSignal(window.submit_unlock().finished, timeout=10000):
        pass
    assert "not a VIG Studio library" in window.unlock_error.text()


def test_scripted_start_opens_the_library_unlocked(qtbot, tmp_path, passphrase):
    make_library(tmp_path / "lib", passphrase, ("F-014",)).close()
    styled_app()
    shell = Shell(str(tmp_path / "lib"))
    qtbot.addWidget(shell.unlock_window)
    with qtbot.waitSignal(shell.unlock_window.unlocked, timeout=10000):
        shell.start(passphrase)
    window = shell.main_window
    qtbot.addWidget(window)
    assert window.isVisible() and not shell.unlock_window.isVisible()
    assert "F-014" in labels_in_tree(window)[0]
    # Closing the library goes back to the unlock window, remembering the folder.
    window.close_library()
    assert shell.unlock_window.isVisible()
    assert shell.unlock_window.pages.currentIndex() == UnlockWindow.UNLOCK
    assert shell.unlock_window.library_path == str((tmp_path / "lib").resolve())
    remembered = Path(settings.gui_settings().fileName()).read_text()
    assert "lib" in remembered and "F-014" not in remembered and passphrase not in remembered


@pytest.mark.slow
def test_demo_library_opens_with_its_banner_and_a_sample_recording(qtbot):
    window = _window(qtbot)
    with qtbot.waitSignal(window.unlocked, timeout=60000) as opened:
        qtbot.mouseClick(window.demo_choice, Qt.MouseButton.LeftButton)
    service = opened.args[0]
    assert Path(service.path) == demo_library.default_demo_path()
    assert settings.recent_libraries() == []  # the demo is not remembered as "your" library
    main = open_window(qtbot, service)
    assert main.demo_banner.isVisible()
    assert "no real family" in main.demo_banner.text()
    assert "Demo" in main.windowTitle()
    (case,) = nodes_of(main, NodeKind.CASE)
    assert case.obj.is_demo and "DEMO" in case.label()
    assert nodes_of(main, NodeKind.RECORDING)
    # Locked, the demo says its own (public) passphrase, and it unlocks with it.
    main.lock("Locked.")
    assert demo_library.DEMO_PASSPHRASE in main.lock_screen.reason_label.text()
    with qtbot.waitSignal(main.unlock(demo_library.DEMO_PASSPHRASE).finished, timeout=10000):
        pass
    assert not main.locked and main.demo_banner.isVisible()
    main.close()

    # Choosing the demo again reopens the one already made.
    window2 = _window(qtbot)
    with qtbot.waitSignal(window2.unlocked, timeout=30000) as again:
        window2.start_demo()
    _close_when_done(again.args[0])
