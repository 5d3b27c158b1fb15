"""Opening editors from the library window: one editor per session, raised if already open, closed
when the library is locked or closed (nothing about a family stays on screen). An editor's F5 starts
the shared review of its session and its Ctrl+L locks the library, through the library window.

    launcher = EditorLauncher(main_window)      # made by the library window itself
    launcher.open(session_id, recording_id)     # what a double-click on a session/recording does
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from vigstudio.domain.errors import VigError
from vigstudio.ui.editor.window import EditorWindow
from vigstudio.ui.icons import icon

if TYPE_CHECKING:
    from vigstudio.ui.main_window import MainWindow

OPEN_SHORTCUT = "Ctrl+E"


class EditorLauncher(QObject):
    def __init__(self, main_window: MainWindow):
        super().__init__(main_window)
        self.main_window = main_window
        self.editors: dict[int, EditorWindow] = {}
        main_window.lock_changed.connect(lambda locked: locked and self.close_all())
        main_window.library_closed.connect(self.close_all)
        self.open_action = QAction(icon("clip"), "Open in editor", main_window)
        self.open_action.setObjectName("action_open_editor")
        self.open_action.setShortcut(QKeySequence(OPEN_SHORTCUT))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.open_action.setToolTip(f"Open the selected session in the editor ({OPEN_SHORTCUT})")
        self.open_action.setStatusTip("Find, trim and annotate the moments of the selected session")
        self.open_action.triggered.connect(self.open_current)
        main_window.addAction(self.open_action)

    def open_current(self) -> EditorWindow | None:
        """Ctrl+E: the editor of the session (or recording) selected in the library tree."""
        from vigstudio.ui.library_model import NodeKind, recording_node_of

        node = self.main_window.current_node()
        if node is not None and node.kind == NodeKind.CLIP:
            node = recording_node_of(node)
        if node is None or node.kind not in (NodeKind.SESSION, NodeKind.RECORDING):
            self.main_window.statusBar().showMessage("Select a session or a recording to open it in the editor.",
                                                     6000)
            return None
        if node.kind == NodeKind.SESSION:
            return self.open(node.obj.id, None)
        return self.open(node.obj.session_id, node.obj.id)

    def open(self, session_id: int, recording_id: int | None = None) -> EditorWindow | None:
        if self.main_window.locked:
            return None
        window = self.editors.get(session_id)
        if window is None:
            try:
                window = EditorWindow(self.main_window.service, session_id, recording_id=recording_id,
                                      parent=self.main_window, open_session=self.open)
            except VigError as err:
                self.main_window.statusBar().showMessage(str(err), 8000)
                return None
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            window.closed.connect(lambda sid=session_id: self.editors.pop(sid, None))
            window.reviewRequested.connect(lambda sid, w=window: self._review(sid, w))
            window.lockRequested.connect(lambda: self.main_window.lock("Locked."))
            self.editors[session_id] = window
        elif recording_id is not None and (window.recording is None or window.recording.id != recording_id):
            window.open_recording(recording_id)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _review(self, session_id: int, window: EditorWindow) -> None:
        from vigstudio.ui.review.actions import begin_review  # (the review package uses this one)

        begin_review(self.main_window, session_id, over=window)

    def close_all(self) -> None:
        for window in list(self.editors.values()):
            window.close()
        self.editors.clear()
