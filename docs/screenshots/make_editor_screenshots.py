"""Regenerate the editor screenshots in this folder at a clinic laptop's 1366×768 (needs Xvfb and
ImageMagick's `import`).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_editor_screenshots.py [OUT_DIR]

Everything is made in a temporary folder (a library with fast key derivation, a generated sample
recording, a throw-away settings folder: see shots.py); no real family data is involved. The editor
fills the screen as a maximised window would (no window manager under Xvfb, so no title bar), and the
whole X screen is captured with `import -window root`.
"""

from __future__ import annotations

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from shots import PASSPHRASE, TMP, sample_recording, shoot

from vigstudio.app import editing
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import make_application
from vigstudio.ui.editor import EditorWindow

SETTLE_MS = 900


def library() -> tuple[LibraryService, int, int]:
    """A session with three tagged clips, stills with captions, a marker, notes and the helping
    question; and a second session with only its recording."""
    service = LibraryService()
    service.create(TMP / "Clinic library", PASSPHRASE)
    add_case(service, "F-014", referral="health_visitor")
    recording = sample_recording(service, "F-014", 40, "MVI_0412.MP4")
    waits = editing.add_clip(service, recording.id, 60, 135, "She waits for Maya")
    turns = editing.add_clip(service, recording.id, 300, 390, "Turn-taking with the stacking cups")
    naming = editing.add_clip(service, recording.id, 550, 630, "Naming what she sees")
    editing.tag_clip(service, waits.id, "P2", "P2.1", "parent", "waits, Maya reaches")
    editing.tag_clip(service, waits.id, "P3", "P3.4", "parent")
    editing.tag_clip(service, turns.id, "P4", "P4.6", "parent")
    editing.tag_clip(service, turns.id, "P1", "P1.5", "parent")
    editing.tag_clip(service, naming.id, "P2", "P2.4", "parent", "You named what she was feeling")
    editing.add_still(service, recording.id, 97, "You waited, and she turned to you")
    editing.add_still(service, recording.id, 345, "Your turn, my turn — you both enjoyed it")
    editing.add_still(service, recording.id, 600, "You named what she was feeling")
    editing.add_marker(service, recording.id, 480, "look again")
    editing.set_helping_question(service, editing.cycle_of_session(service, recording.session_id).id,
                                "I'd like to enjoy playtime with Maya more, and not feel rushed.")
    editing.set_session_notes(service, recording.session_id, "Floor play, 12 min. Lovely stretch of turn-taking with "
                                                   "the stacking cups around 0:20. Look again at the ending.")
    add_case(service, "F-015", referral="midwifery")
    empty = sample_recording(service, "F-015", 40, "VID_20261103_101522.mp4")
    return service, recording.session_id, empty.session_id


def main() -> int:
    app = make_application()
    service, session_id, empty_session_id = library()
    state: dict = {}
    steps = shots.Steps(app, SETTLE_MS)
    then = steps.then

    def open_editor(session: int) -> None:
        if "window" in state:
            state["window"].close()
        window = EditorWindow(service, session)
        screen = window.screen().availableGeometry()
        window.setGeometry(screen)  # what a maximised window gets on the laptop
        window.show()
        state["window"] = window

    def select_clip(number: int, frame: int) -> None:
        window = state["window"]
        clip_id = window.data.clips[number - 1].clip.id
        window.clips_panel.select_clip(clip_id)
        window.playback.seek(frame)

    def select_still(number: int) -> None:
        window = state["window"]
        still = window.data.stills[number - 1]
        window.stills_dock.raise_()  # (a tab beside the clips on the laptop's short screen)
        window.stills.select_still(still.id)
        window._still_selected(still.id)

    then(lambda: open_editor(session_id), 1500)
    then(lambda: select_clip(2, 330))
    then(lambda: shoot("editor-clips"), 100)
    then(lambda: select_still(1))
    then(lambda: shoot("editor-still"), 100)
    then(lambda: state["window"].session_dock.raise_())  # on a short screen a tab beside Principles
    then(lambda: shoot("editor-session"), 100)
    then(lambda: open_editor(empty_session_id), 1500)
    then(lambda: shoot("editor-empty"), 100)
    then(lambda: state["window"].close(), 300)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
