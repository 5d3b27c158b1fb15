"""Importing recordings into the library window: choosing the files, the case and session they go
to (the selected row, the row they are dropped on, or the user is asked), a file's camera track,
the import itself off the GUI thread, and the scrubbing previews made after it.

`RecordingImport` is made by the library window and reaches it only through its public methods
(`open_dialog`, `run_task`, `notify`, `new_case`, `current_node`) and its tree and model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from vigstudio.app.importing import camera_tracks, import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Recording
from vigstudio.ui.background import BackgroundTask
from vigstudio.ui.dialogs import ChooseCaseDialog, ChooseTrackDialog, sentence
from vigstudio.ui.editor.previews import PreviewBuild
from vigstudio.ui.library_model import Node, NodeKind, recording_node_of

if TYPE_CHECKING:
    from vigstudio.ui.main_window import MainWindow

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mts", ".m2ts", ".ts", ".3gp", ".mpg",
                  ".mpeg", ".wmv")


def local_files(urls) -> list[str]:
    """The dropped URLs that are files on this computer."""
    return [url.toLocalFile() for url in urls if url.isLocalFile() and Path(url.toLocalFile()).is_file()]


class RecordingImport(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def import_dropped(self, paths: list[str], node: Node | None) -> None:
        """Files dropped on a row: that case (a new session) or that session; anywhere else: what is
        selected, as Import recording… does."""
        case_code, session_id = self._target_of(node)
        if case_code is None:
            self._ask_case_then_import(paths)
        else:
            self._start_import(paths, case_code, session_id)

    def choose_files(self) -> None:
        if self.window.locked:
            return
        suffixes = " ".join(f"*{s}" for s in VIDEO_SUFFIXES)
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import recordings", str(Path.home()), f"Videos ({suffixes});;All files (*)")
        if paths:
            self.import_files(paths)

    def _target_of(self, node: Node | None) -> tuple[str | None, int | None]:
        """(case code, session id or None) for importing onto `node`."""
        if node is None:
            return None, None
        recording = recording_node_of(node)
        session = node if node.kind == NodeKind.SESSION else recording.parent if recording is not None else None
        return node.case().code, (session.obj.id if session is not None else None)

    def import_files(self, paths: list[str], case_code: str | None = None,
                     session_id: int | None = None) -> BackgroundTask | None:
        """Import into `case_code` (a new filming session unless `session_id`); without a case, the
        selected item decides, or the user is asked. Returns the running task, if one started."""
        paths = [str(p) for p in paths if p]
        if not paths or self.window.locked:
            return None
        if case_code is None:
            case_code, session_id = self._target_of(self.window.current_node())
        if case_code is None:
            self._ask_case_then_import(paths)
            return None
        return self._start_import(paths, case_code, session_id)

    def _ask_case_then_import(self, paths: list[str], preselect: str | None = None) -> None:
        codes = [case.code for case in self.window.model.cases()]
        if not codes:
            self.window.new_case("First add the case this recording belongs to.",
                                 then=lambda code: self._start_import(paths, code, None))
            return
        dialog = ChooseCaseDialog(self.window, codes, preselect, len(paths))

        def chosen() -> None:
            choice = dialog.choice()
            if choice == ChooseCaseDialog.NEW_CASE:
                self.window.new_case(then=lambda code: self._start_import(paths, code, None))
            else:
                self._start_import(paths, choice, None)

        dialog.accepted.connect(chosen)
        self.window.open_dialog(dialog)

    def _start_import(self, paths: list[str], case_code: str, session_id: int | None,
                      tracks: dict[str, int] | None = None) -> BackgroundTask | None:
        """Import `paths`; a file with two camera tracks first asks which one (then returns None)."""
        if tracks is None:
            tracks = {}
            for path in paths:
                if self._ask_track(paths, case_code, session_id, tracks, path):
                    return None
        service = self.window.service
        count = len(paths)
        current = {"file": Path(paths[0]).name}

        def work(progress) -> list[Recording]:
            done = []
            for number, path in enumerate(paths):
                current["file"] = Path(path).name
                part = progress.part(number / count, (number + 1) / count)
                done.append(import_recording(service, case_code, path, session_id=session_id, progress=part,
                                             track=tracks.get(path)))
            return done

        def imported(recordings: list[Recording]) -> None:
            if recordings:
                self.window.tree.select_later(("recording", recordings[-1].id))
                self._previews_after_import(service, [r.id for r in recordings])
            what = recordings[0].file_name if len(recordings) == 1 else f"{len(recordings)} recordings"
            self.window.notify("Import", f"Imported {what} into case {case_code}.")

        def failed(error: VigError) -> None:
            self.window.notify("Import failed", f"Could not import {current['file']}: {sentence(str(error))}"
                               "\n\nNothing was added for this file; the library is unchanged.", error=True)

        what = Path(paths[0]).name if count == 1 else f"{count} recordings"
        label = f"Importing {what} into case {case_code}…"
        return self.window.run_task(
            work, imported, failed, progress_label=label, failure_title="Import failed",
            on_cancelled=lambda: self.window.notify("Import", "Import cancelled; nothing was added."))

    def _ask_track(self, paths: list[str], case_code: str, session_id: int | None,
                   tracks: dict[str, int], path: str) -> bool:
        """Ask which camera track of `path` to import when it has several (True: asking; the import
        goes on from the dialog). A quick look at the file's header; the import reports problems."""
        if path in tracks:
            return False
        try:
            candidates = camera_tracks(path)
        except VigError:
            return False
        if not candidates:
            return False
        dialog = ChooseTrackDialog(self.window, Path(path).name, candidates)

        def chosen() -> None:
            tracks[path] = dialog.choice()
            for later in paths:
                if self._ask_track(paths, case_code, session_id, tracks, later):
                    return
            self._start_import(paths, case_code, session_id, tracks)

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(lambda: self.window.notify("Import", "Import cancelled; nothing was added."))
        self.window.open_dialog(dialog)
        return True

    def _previews_after_import(self, service: LibraryService, recording_ids: list[int]) -> None:
        """Scrubbing previews of the new recordings, made quietly in the background (an editor
        opened meanwhile waits for them); stopped when the library is locked or closed."""
        build = PreviewBuild(self.window)
        self.window.lock_changed.connect(lambda locked: locked and build.stop())
        self.window.library_closed.connect(build.stop)
        build.start(service, *recording_ids)
