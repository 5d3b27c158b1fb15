"""Marking moments in the editor: the in and out points and the clip made from them, markers (and
going from one to the next), and stills of the frame on screen.

`EditorMarking` owns the in/out state and the marker popup; the window's actions call it, and it
reaches the window only through its public parts and methods (`run_edit`, `show_message`,
`select_clip`, the docks and panels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from vigstudio.domain.model import Clip, Still
from vigstudio.ui.editor.marker_popup import MarkerPopup

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow


class EditorMarking(QObject):
    def __init__(self, window: EditorWindow):
        super().__init__(window)
        self.window = window
        self.in_frame: int | None = None
        self.out_frame: int | None = None  # the last frame included (as the timeline draws it)
        self.marker_popup = MarkerPopup(window)
        self.marker_popup.accepted.connect(self._add_marker)
        self.marker_popup.finished.connect(window.keys_back_to_video)

    # -- in and out ---------------------------------------------------------------------------------

    def set_in_out(self, in_frame: int | None, out_frame: int | None) -> None:
        self.in_frame, self.out_frame = in_frame, out_frame
        self.window.timeline.set_in_out(in_frame, out_frame)
        self.show_in_out()

    def show_in_out(self) -> None:
        in_text = "—" if self.in_frame is None else str(self.in_frame)
        out_text = "—" if self.out_frame is None else str(self.out_frame)
        text = f"In {in_text}   Out {out_text}"
        if self.in_frame is not None and self.out_frame is not None:
            text += f"   ({self.window.playback.seconds_between(self.in_frame, self.out_frame + 1):.1f} s)"
        self.window.chrome.show_in_out(text)

    def mark_in(self) -> None:
        if self.window.recording is None:
            return
        frame = self.window.playback.current_frame
        out = self.out_frame if self.out_frame is not None and self.out_frame >= frame else None
        self.set_in_out(frame, out)

    def mark_out(self) -> None:
        if self.window.recording is None:
            return
        frame = self.window.playback.current_frame
        start = self.in_frame if self.in_frame is not None and self.in_frame <= frame else None
        self.set_in_out(start, frame)

    def clear_in_out(self) -> None:
        self.set_in_out(None, None)

    def make_clip(self) -> Clip | None:
        """C / Enter: a clip from in to out (out included). With only an in point, the clip ends at
        the frame on screen; with only an out point, it starts at the frame on screen."""
        window = self.window
        if window.recording is None:
            return None
        current = window.playback.current_frame
        start = self.in_frame if self.in_frame is not None else current
        last = self.out_frame if self.out_frame is not None else current
        if self.in_frame is None and self.out_frame is None:
            window.show_message("Set an in point (I) and an out point (O) first, then press C.")
            return None
        if last < start:
            start, last = last, start
        clip = window.run_edit(window.undoable.add_clip, window.recording.id, start, last + 1)
        if clip is None:
            return None
        self.clear_in_out()
        window.clips_dock.show()
        window.clips_dock.raise_()  # (tabbed with the stills on a short screen)
        window.select_clip(clip.id)
        window.show_message(f"Clip made: frames {start}–{last}. Tag it in the Principles panel.")
        return clip

    # -- markers --------------------------------------------------------------------------------------

    def go_to_marker(self, direction: int) -> None:
        """The next (+1) or previous (-1) marker of this recording, from the frame shown."""
        window = self.window
        if window.recording is None:
            return
        here = window.playback.current_frame
        frames = sorted({m.frame for m in window.data.markers_of_recording(window.recording.id)})
        ahead = [f for f in frames if f > here] if direction > 0 else [f for f in reversed(frames) if f < here]
        if ahead:
            window.playback.seek(ahead[0])
        else:
            window.show_message("No more markers that way.")

    def delete_marker_here(self) -> None:
        window = self.window
        if window.recording is None:
            return
        here = window.playback.current_frame
        marker = next((m for m in window.data.markers_of_recording(window.recording.id) if m.frame == here), None)
        if marker is None:
            window.show_message("There is no marker on this frame (Alt+Left / Alt+Right go to one).")
            return
        window.run_edit(window.undoable.delete_marker, marker.id)

    def start_marker(self) -> None:
        window = self.window
        if window.recording is None:
            return
        window.playback.pause()
        self.marker_popup.open_at(window.playback.current_frame, window.view)

    def _add_marker(self, frame: int, note: str) -> None:
        window = self.window
        if window.recording is not None:
            window.run_edit(window.undoable.add_marker, window.recording.id, frame, note)

    # -- stills ---------------------------------------------------------------------------------------

    def take_still(self) -> Still | None:
        window = self.window
        if window.recording is None:
            return None
        window.playback.pause()
        frame = window.playback.current_frame
        still = window.run_edit(window.undoable.add_still, window.recording.id, frame)
        if still is None:
            return None
        image = window.view.image()
        if image is not None and window.view.frame_index() == frame:
            window.stills.frame_shown(window.recording.id, frame, image)
        window.stills_dock.show()
        window.stills_dock.raise_()
        window.stills.select_still(still.id)
        window.stills.edit_caption()
        return still
