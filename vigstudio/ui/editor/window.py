"""EditorWindow: one session's editor — picture, transport and timeline in the middle; the clips (in
review order) and the stills with their captions on the left; the principles to tag with and the
session's helping question and notes on the right.

Every edit goes through `UndoableEditor` (an app call committed at once, then one QUndoCommand on the
window's one QUndoStack); panels redraw from `SessionData`, which reloads on the app's change
notifications. There is no Save. Only the window's geometry and dock layout go to QSettings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import editing, feedback
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Clip, Recording, Who
from vigstudio.domain.timecode import format_seconds
from vigstudio.ui import settings
from vigstudio.ui.commands import UndoableEditor
from vigstudio.ui.editor.chips import principle_colour
from vigstudio.ui.editor.chrome import DockScroller, EditorChrome, arrange_right_column, first_size
from vigstudio.ui.editor.clip_list import ClipListModel, ClipListPanel, clip_display_title
from vigstudio.ui.editor.marking import EditorMarking
from vigstudio.ui.editor.observations_panel import EditorObservations, ObservationsPanel
from vigstudio.ui.editor.playback import PlaybackController
from vigstudio.ui.editor.principles_panel import PrinciplesPanel, TagRequest
from vigstudio.ui.editor.session_data import EVERYTHING, SessionData
from vigstudio.ui.editor.side_panel import SidePanel
from vigstudio.ui.editor.stills_panel import StillsPanel
from vigstudio.ui.editor.supervision import EditorSupervision
from vigstudio.ui.editor.wonder_panel import WonderPanel, install_wonder, place_wonder
from vigstudio.ui.icons import app_icon, icon
from vigstudio.ui.shortcuts import ShortcutsSheet, configure_action, make_actions, shortcut_actions
from vigstudio.ui.timeline import TimelineClip, TimelineMarker, TimelineObservation, TimelineWidget
from vigstudio.ui.transport import TransportBar
from vigstudio.ui.video_view import FrameView

log = logging.getLogger(__name__)

GEOMETRY_KEY = "editor/geometry"
STATE_KEY = "editor/state"
UNTAGGED_COLOUR = "#7C8C96"
SessionOpener = Callable[[int, "int | None"], "EditorWindow | None"]  # (session id, recording id) -> its editor
MESSAGE_MS = 6000
# What the timeline draws, and the comments whose moments it keeps decoded with the markers and clips.
_TIMELINE_PARTS = frozenset({"recordings", "clips", "markers", "observations", "comments"})


class EditorWindow(QMainWindow):
    closed = Signal()
    reviewRequested = Signal(int)  # F5: the session id (whoever opened the editor starts the review)
    lockRequested = Signal()  # Ctrl+L: lock the library (which closes this window)

    # Its parts, all made by the window itself (in `__init__` and the `_build_*` steps).
    view: FrameView
    transport: TransportBar
    timeline: TimelineWidget
    playback: PlaybackController
    marking: EditorMarking  # in and out points, clips made from them, markers, stills
    clip_model: ClipListModel
    clips_panel: ClipListPanel
    principles: PrinciplesPanel
    stills: StillsPanel
    side: SidePanel
    clips_dock: QDockWidget
    stills_dock: QDockWidget
    principles_dock: QDockWidget
    session_dock: QDockWidget
    actions_by_id: dict[str, QAction]
    undo_action: QAction
    redo_action: QAction
    supervision: EditorSupervision  # read-only clips in a supervision case, and the Comments dock
    chrome: EditorChrome  # menus, toolbar (recording picker, in/out) and the window's own actions
    www: EditorObservations  # WWW: observations coded on the recording, and their panel
    observations_panel: ObservationsPanel
    observations_dock: QDockWidget
    wonder_panel: WonderPanel  # WWW: the Wonder notes (install_wonder adds the dock and its undo)
    wonder_dock: QDockWidget
    preview_status: QLabel

    def __init__(self, service: LibraryService, session_id: int, *, recording_id: int | None = None,
                 parent: QWidget | None = None, open_session: SessionOpener | None = None):
        super().__init__(parent)
        self.setObjectName("editorWindow")
        self.setWindowIcon(app_icon())
        self.service = service
        self.catalogue = editing.principles_catalogue(service)  # the principles to tag with
        self.undo_stack = QUndoStack(self)
        self.undoable = UndoableEditor(service, self.undo_stack, self)
        self.undoable.failed.connect(self.show_message)
        self.data = SessionData(service, session_id, self)
        self.recording: Recording | None = None
        self._sheet: ShortcutsSheet | None = None
        self._closing = False
        self._open_session = open_session

        self._build_centre()
        self._build_docks()
        self.marking = EditorMarking(self)
        self._build_actions()
        # The parts that own their widgets and actions: read-only clips and the Comments dock, then
        # the menus, the toolbar and the window's own actions.
        self.supervision = EditorSupervision(self)
        self.wonder_panel = install_wonder(self)  # WWW: the reflection half's notes
        self.chrome = EditorChrome(self)
        self.marking.show_in_out()
        self.statusBar()
        self.resize(first_size(self))  # fits a 1366×768 laptop screen
        arrange_right_column(self)  # on a short screen its panels become full-height tabs
        place_wonder(self)
        self._restore_layout()

        self.data.changed.connect(self._data_changed)
        self.data.closed.connect(self._session_gone)
        recordings = self.data.recordings
        first = next((r for r in recordings if r.id == recording_id), recordings[0] if recordings else None)
        self._update_title()
        if first is not None:
            self.open_recording(first.id)
        else:
            self.view.set_placeholder_text("This session has no recording", "Import a recording to begin")
        self._data_changed()
        self.timeline.setFocus(Qt.FocusReason.OtherFocusReason)

    # ================================================================== building

    def _build_centre(self) -> None:
        self.view = FrameView()
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.transport = TransportBar()
        self.timeline = TimelineWidget()
        self.playback = PlaybackController(self.view, self.transport, self.timeline, self)
        self.playback.frameShown.connect(self._frame_shown)
        self.preview_status = QLabel()  # "Preparing scrubbing previews… 40 %", beside the messages
        self.preview_status.setObjectName("previewStatus")
        self.preview_status.setProperty("muted", True)
        self.statusBar().addPermanentWidget(self.preview_status)
        self.playback.status.connect(self.preview_status.setText)
        self.timeline.clipSelected.connect(self.select_clip)
        self.timeline.clipTrimmed.connect(self._trim)
        self.timeline.observationClicked.connect(self.go_to_observation)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.transport)
        layout.addWidget(self.timeline)
        self.setCentralWidget(centre)

    def add_dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState find docks by name
        dock.setWidget(DockScroller(widget))  # scrolls when the screen is short, instead of clipping
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.clip_model = ClipListModel(self.data, self.undoable, self._clip_seconds, self)
        self.clip_model.editFailed.connect(self.show_message)
        self.clips_panel = ClipListPanel(self.data, self.clip_model)
        self.clips_panel.currentClipChanged.connect(self._clip_selected)
        self.clips_panel.clipActivated.connect(self.go_to_clip)
        self.clips_panel.delete_action.triggered.connect(self.delete_selected_clip)

        self.principles = PrinciplesPanel(self.catalogue)
        self.principles.tagRequested.connect(self._tag)
        self.principles.removeRequested.connect(
            lambda annotation_id: self.run_edit(self.undoable.remove_annotation, annotation_id))

        self.stills = StillsPanel(self.data)
        self.stills.stillSelected.connect(self._still_selected)
        self.stills.captionCommitted.connect(
            lambda still_id, text, final: self.run_edit(self.undoable.set_still_caption, still_id, text, final=final))
        self.stills.captionClosed.connect(self.undoable.end_merge)
        self.stills.deleteRequested.connect(lambda still_id: self.run_edit(self.undoable.delete_still, still_id))
        self.stills.doneTyping.connect(self.keys_back_to_video)

        self.side = SidePanel(self.data)
        self.side.notesCommitted.connect(lambda text, final: self.run_edit(
            self.undoable.set_session_notes, self.data.session_id, text, final=final))
        self.side.questionCommitted.connect(lambda text, final: self.data.cycle is not None and self.run_edit(
            self.undoable.set_helping_question, self.data.cycle.id, text, final=final))
        self.side.textClosed.connect(self.undoable.end_merge)
        self.side.doneTyping.connect(self.keys_back_to_video)

        # WWW: observations coded on the recording, listed beside the picture, with the session clock.
        self.www = EditorObservations(self)
        self.observations_panel = self.www.panel

        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        # Left: what was made (clips, stills); right: how to name it (principles) and the session's goal.
        self.clips_dock = self.add_dock("Clips", "clipsDock", self.clips_panel, left)
        self.stills_dock = self.add_dock("Stills", "stillsDock", self.stills, left)
        self.principles_dock = self.add_dock("Principles", "principlesDock", self.principles, right)
        self.session_dock = self.add_dock("Session", "sessionDock", self.side, right)
        self.observations_dock = self.add_dock("Observations", "observationsDock", self.observations_panel, left)
        # Beside the stills (a WWW session seldom has stills; it always has observations), in front;
        # hidden and untabbed for a VIG session, whose layout stays as it was.
        if self.data.is_www or self.data.observations:
            self.tabifyDockWidget(self.stills_dock, self.observations_dock)
            self.observations_dock.raise_()
        else:
            self.observations_dock.hide()
        self.resizeDocks([self.clips_dock, self.principles_dock], [290, 300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.clips_dock, self.stills_dock], [270, 530], Qt.Orientation.Vertical)  # stills need the room
        self.resizeDocks([self.principles_dock, self.session_dock], [580, 220], Qt.Orientation.Vertical)

    def _build_actions(self) -> None:
        p = self.playback
        handlers = {
            "play_pause": p.toggle,
            "shuttle_back": p.shuttle_back,
            "shuttle_forward": p.shuttle_forward,
            "step_back": lambda: p.step(-1),
            "step_forward": lambda: p.step(1),
            "second_back": lambda: p.step_seconds(-1),
            "second_forward": lambda: p.step_seconds(1),
            "go_start": p.go_start,
            "go_end": p.go_end,
            "mark_in": self.marking.mark_in,
            "mark_out": self.marking.mark_out,
            "make_clip": self.marking.make_clip,
            "add_marker": self.marking.start_marker,
            "take_still": self.marking.take_still,
            "zoom_in": self.timeline.zoom_in,
            "zoom_out": self.timeline.zoom_out,
            "shortcuts_sheet": self.show_shortcuts,
            **{f"tag_p{n}": (lambda code=f"P{n}": self.tag_with_principle(code)) for n in range(1, 7)},
            "who_parent": lambda: self.toggle_who(Who.PARENT),
            "who_child": lambda: self.toggle_who(Who.CHILD),
            "who_practitioner": lambda: self.toggle_who(Who.PRACTITIONER),
            "start_review": self.start_review,
            "lock": self.lockRequested.emit,
        }
        self.actions_by_id: dict[str, QAction] = make_actions(self, handlers)
        self.undo_action = configure_action(self.undo_stack.createUndoAction(self, "Undo"), "undo")
        self.redo_action = configure_action(self.undo_stack.createRedoAction(self, "Redo"), "redo")
        self.undo_action.setIcon(icon("undo"))
        self.redo_action.setIcon(icon("redo"))
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.actions_by_id["undo"] = self.undo_action
        self.actions_by_id["redo"] = self.redo_action

    def side_docks(self) -> list[QDockWidget]:
        """The panels' docks, in the order the View menu lists them."""
        return [self.clips_dock, self.stills_dock, self.principles_dock, self.session_dock, self.supervision.dock]

    # ================================================================== layout (no names, codes or notes)

    def _restore_layout(self) -> None:
        store = settings.gui_settings()
        geometry, state = store.value(GEOMETRY_KEY), store.value(STATE_KEY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def _save_layout(self) -> None:
        store = settings.gui_settings()
        store.setValue(GEOMETRY_KEY, self.saveGeometry())
        store.setValue(STATE_KEY, self.saveState())
        store.sync()

    # ================================================================== recordings

    def open_recording(self, recording_id: int) -> None:
        recording = self.data.recording(recording_id)
        if recording is None:
            return
        self.marking.clear_in_out()
        self.recording = recording
        try:
            self.playback.open(self.service, recording)
        except VigError as err:
            self.recording = None
            self.view.set_placeholder_text("This recording cannot be opened", str(err))
            self.show_message(str(err))
            return
        self._fill_picker()
        self._refresh_timeline()

    def _fill_picker(self) -> None:
        picker = self.chrome.recording_picker
        picker.blockSignals(True)
        picker.clear()
        for recording in self.data.recordings:
            picker.addItem(icon("recording"), f"{recording.file_name} · {format_seconds(recording.duration, millis=False)}",
                           recording.id)
        if self.recording is not None:
            picker.setCurrentIndex(max(0, picker.findData(self.recording.id)))
        picker.blockSignals(False)
        self.chrome.picker_action.setVisible(len(self.data.recordings) > 1)

    def recording_picked(self, index: int) -> None:
        """The picker chose another recording of the session."""
        recording_id = self.chrome.recording_picker.itemData(index)
        if recording_id is not None and (self.recording is None or recording_id != self.recording.id):
            self.flush_typing()
            self.open_recording(recording_id)

    # ================================================================== refreshing from the library

    def _data_changed(self, parts: frozenset[str] = EVERYTHING) -> None:
        """Redraw what shows the parts of the session that were read again (a caption redraws no
        timeline, a clip's new title no window title)."""
        if parts & {"session", "cycle"}:
            self._update_title()
        if "recordings" in parts:
            if self.recording is not None and self.data.recording(self.recording.id) is None:
                self.playback.close()  # the recording was deleted
                self.recording = None
            if len(self.data.recordings) != self.chrome.recording_picker.count():
                self._fill_picker()
        if parts & _TIMELINE_PARTS:
            self._refresh_timeline(parts)
        if "clips" in parts:
            self._clip_selected(self.clips_panel.current_clip_id())

    def _refresh_timeline(self, parts: frozenset[str] = EVERYTHING) -> None:
        if self.recording is None:
            self.timeline.set_clips([])
            self.timeline.set_markers([])
            self.timeline.set_observations([])
            self.observations_panel.set_observations(self.data.observations)
            return
        everything = "recordings" in parts
        recording_id = self.recording.id
        if everything or "clips" in parts:
            catalogue = self.catalogue
            clips = []
            for item in self.data.clips_of_recording(recording_id):
                codes = item.principles
                colour = principle_colour(catalogue, codes[0]) if codes else UNTAGGED_COLOUR
                number = self.data.review_number(item.clip.id)
                clips.append(TimelineClip(item.clip.id, item.clip.start_frame, item.clip.end_frame,
                                          f"{number}. {clip_display_title(item.clip, number)}", colour))
            self.timeline.set_clips(clips)
        markers = self.data.markers_of_recording(recording_id)
        if everything or "markers" in parts:
            self.timeline.set_markers([TimelineMarker(m.frame, m.note) for m in markers])
        observations = self.data.observations_of_recording(recording_id)
        if everything or "observations" in parts:
            codes = self.observations_panel.catalogue
            self.timeline.set_observations([
                TimelineObservation(o.id, o.frame, o.end_frame, o.code,
                                    codes.code(o.code).label if codes.has(o.code) else o.code, o.text,
                                    codes.code(o.code).colour if codes.has(o.code) else "#888888")
                for o in observations], lane=self.data.is_www)
            self.observations_panel.set_observations(self.data.observations)
        # the moments one jumps to: decoded in the background, so the jump shows them at once
        try:  # (and where the supervisor's comments jump to)
            comments = feedback.comment_frames(self.service, recording_id)
        except VigError:  # the library is going away: the window closes itself
            comments = []
        self.playback.keep_ready([m.frame for m in markers]
                                 + [c.clip.start_frame for c in self.data.clips_of_recording(recording_id)]
                                 + comments + [o.frame for o in observations])

    def _update_title(self) -> None:
        session, cycle = self.data.session, self.data.cycle
        where = f"cycle {cycle.number}" if cycle is not None else "WWW course"
        self.setWindowTitle(f"Case {self.data.case_code} · {where} · {session.kind.value.replace('_', ' ')} "
                            f"session {session.date.isoformat()} — VIG Studio editor")

    def _session_gone(self, reason: str) -> None:
        if not self._closing:
            log.info("editor closes: the library was closed or the session is gone")
            self._closing = True
            QTimer.singleShot(0, self.close)

    # ================================================================== selection and navigation

    def _clip_seconds(self, clip: Clip) -> float:
        if self.recording is not None and clip.recording_id == self.recording.id and self.playback.frame_times:
            return self.playback.seconds_between(clip.start_frame, clip.end_frame)
        recording = self.data.recording(clip.recording_id)
        fps = recording.fps if recording is not None else 0.0
        return clip.frame_count / fps if fps > 0 else 0.0

    def selected_clip_id(self) -> int | None:
        return self.clips_panel.current_clip_id()

    def _clip_selected(self, clip_id: int | None) -> None:
        item = self.data.clip(clip_id) if clip_id is not None else None
        self.timeline.set_selected_clip(clip_id if item is not None else None)
        label = clip_display_title(item.clip, self.data.review_number(clip_id)) if item is not None else ""
        self.principles.set_clip(item, label)

    def select_clip(self, clip_id: int) -> None:
        """Make the clip the one the panels show (and tag), also when the list's filter hides it."""
        self.clips_panel.select_clip(clip_id)
        if self.clips_panel.current_clip_id() != clip_id:  # hidden by the filter: tag it all the same
            self._clip_selected(clip_id)

    def go_to_clip(self, clip_id: int) -> None:
        item = self.data.clip(clip_id)
        if item is None:
            return
        if self.recording is None or item.clip.recording_id != self.recording.id:
            self.open_recording(item.clip.recording_id)
        self.playback.seek(item.clip.start_frame)
        self.timeline.set_selected_clip(clip_id)

    def go_to_observation(self, observation_id: int) -> None:
        self.www.go_to(observation_id)

    def add_observation(self, code: str, text: str = ""):
        return self.www.add(code, text)

    def _still_selected(self, still_id: int) -> None:
        still = self.data.still(still_id)
        if still is None:
            return
        if self.recording is None or still.recording_id != self.recording.id:
            self.open_recording(still.recording_id)
        self.playback.seek(still.frame)
        around = self.data.clip_at(still.recording_id, still.frame)
        if around is not None and around.clip.id != self.clips_panel.current_clip_id():
            self.clips_panel.select_clip(around.clip.id)  # the still belongs to that moment

    def _frame_shown(self, frame: int) -> None:
        self.principles.set_frame(frame)
        image = self.view.image()
        if self.recording is not None and image is not None:
            self.stills.frame_shown(self.recording.id, frame, image)

    def keys_back_to_video(self) -> None:
        self.timeline.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete_selected_clip(self) -> None:
        clip_id = self.clips_panel.current_clip_id()
        if clip_id is not None:
            self.run_edit(self.undoable.delete_clip, clip_id)

    def tag_with_principle(self, principle: str) -> None:
        """1–6: tag the selected clip with the whole principle, and the who chosen (P, H, R)."""
        clip_id = self.clips_panel.current_clip_id()
        if clip_id is None or self.data.clip(clip_id) is None:
            self.show_message("Select a clip first (or make one with I, O and C), then press 1–6 to tag it.")
            return
        if self.data.read_only:
            self.show_message("The tags of a supervision case are the practitioner's: they cannot be changed here.")
            return
        self._tag(TagRequest(clip_id, principle, None, self.principles.who(), "", None))

    def toggle_who(self, who: Who) -> None:
        """P, H, R: who did it, for the next tags (the same key again: nobody in particular)."""
        if self.data.read_only:
            return  # a supervisor tags nothing here (the who buttons are hidden too)
        self.principles.set_who(None if self.principles.who() == who else who)
        chosen = self.principles.who()
        self.show_message(f"Next tags: the {chosen.value}." if chosen is not None else "Next tags: nobody in particular.")

    def start_review(self) -> None:
        """F5: the shared review of this session (what is typed is saved first)."""
        self.flush_typing()
        self.playback.pause()
        self.reviewRequested.emit(self.data.session_id)

    def _tag(self, request: TagRequest) -> None:
        made = self.run_edit(self.undoable.tag_clip, request.clip_id, request.principle, request.behaviour,
                          request.who, request.text, request.frame)
        if made is not None:
            self.principles.tag_done()

    def _trim(self, clip_id: int, start: int, end: int, final: bool) -> None:
        item = self.data.clip(clip_id)
        if item is None:
            return
        if (item.clip.start_frame, item.clip.end_frame) == (start, end):
            if final:
                self.undoable.end_merge()
            return
        if self.run_edit(self.undoable.trim_clip, clip_id, start, end, final=final) is None:
            self._refresh_timeline()  # refused: put the handle back where the library has it

    # ================================================================== helpers

    def run_edit(self, fn, *args, **kwargs):
        """Run an undoable edit; a refusal is shown quietly in the status bar (nothing was written)."""
        try:
            return fn(*args, **kwargs)
        except VigError as err:
            self.show_message(str(err))
            return None

    def open_session(self, session_id: int, recording_id: int | None = None) -> EditorWindow | None:
        """The editor of another session (a supervisor's comment on the shared-review recording), from
        whoever opened this one; None if it cannot be opened from here."""
        return self._open_session(session_id, recording_id) if self._open_session is not None else None

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def show_shortcuts(self) -> None:
        if self._sheet is None:
            self._sheet = ShortcutsSheet(shortcut_actions(self), self)
        self._sheet.show()
        self._sheet.raise_()

    def flush_typing(self) -> None:
        if not self.service.is_open:
            return
        self.stills.flush()
        self.side.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.flush_typing()
        self._save_layout()
        self.marking.marker_popup.cancel()
        self.playback.close()
        self.stills.stop_pictures()  # no more decoding of stills' pictures
        self.observations_panel.clock_row.stop()
        self.data.detach()
        if self._sheet is not None:
            self._sheet.close()
        super().closeEvent(event)
        self.closed.emit()
