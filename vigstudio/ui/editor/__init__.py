"""The session editor: find, trim and annotate the "better than usual" moments (issue 5).

    window = EditorWindow(service, session_id)   # an open LibraryService
    window.show()
"""

from vigstudio.ui.editor.window import EditorWindow

__all__ = ["EditorWindow"]
