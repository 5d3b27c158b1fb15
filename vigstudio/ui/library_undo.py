"""The library window's one undo history and its Edit menu.

Every feature that edits from the library window (caseload dialogs, WWW courses and attendance) pushes
onto this one stack: two stacks would mean two Edit menus and two Ctrl+Z actions, which Qt treats as an
ambiguous shortcut and fires neither. Locking or closing the library clears it, since its steps name
records of a library that is then out of reach.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from vigstudio.ui.shortcuts import configure_action


def library_undo_stack(window: QMainWindow) -> QUndoStack:
    """The window's undo stack, made with Undo / Redo in an Edit menu after the first menu (once)."""
    stack = getattr(window, "undo_stack", None)
    if stack is not None:
        return stack
    stack = QUndoStack(window)
    window.undo_stack = stack
    window.undo_action = configure_action(stack.createUndoAction(window, "Undo"), "undo")
    window.redo_action = configure_action(stack.createRedoAction(window, "Redo"), "redo")
    menu = QMenu("&Edit", window)
    menu.addAction(window.undo_action)
    menu.addAction(window.redo_action)
    bar = window.menuBar()
    actions = bar.actions()
    if len(actions) > 1:
        bar.insertMenu(actions[1], menu)  # Library, Edit, … as in every desktop app
    else:
        bar.addMenu(menu)
    window.edit_menu = menu
    for action in (window.undo_action, window.redo_action):
        window.addAction(action)
        window.library_actions.append(action)  # disabled while the window is locked
    window.lock_changed.connect(lambda locked: locked and stack.clear())
    window.library_closed.connect(stack.clear)
    return stack
