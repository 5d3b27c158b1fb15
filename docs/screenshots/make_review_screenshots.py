"""Regenerate the shared-review screenshots in this folder: the family's full screen and the
practitioner's presenter screen (needs Xvfb and ImageMagick's `import`).

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/screenshots/make_review_screenshots.py [OUT_DIR]

Everything is made in a temporary folder (a library with fast key derivation, a generated sample
recording, a throw-away settings folder: see shots.py); no real family data is involved. The review
is started as the library window starts it, with the presenter: on one screen the family's window is
full screen and the presenter a normal window under it, so for its screenshot the presenter is given
the whole screen (as maximised on a second screen) and raised.
"""

from __future__ import annotations

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from shots import PASSPHRASE, TMP, sample_recording, shoot

from vigstudio.app import editing, feedback
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import make_application
from vigstudio.ui.review import start_review

SETTLE_MS = 900
SUPERVISOR = "Supervisor"  # no names, even made-up ones


def library() -> tuple[LibraryService, int]:
    """A session ready for review: three clips tagged with principles and the practitioner's prompts,
    a captioned still inside each, and two supervisor comments (one on the first clip, one on the
    whole session), as if a feedback bundle had been opened."""
    service = LibraryService()
    service.create(TMP / "Clinic library", PASSPHRASE)
    add_case(service, "F-014", referral="health_visitor")
    recording = sample_recording(service, "F-014", 40, "MVI_0412.MP4")
    waits = editing.add_clip(service, recording.id, 60, 135, "Waiting for her turn")
    turns = editing.add_clip(service, recording.id, 300, 390, "Taking turns with the cups")
    naming = editing.add_clip(service, recording.id, 550, 630, "Naming what she feels")
    editing.tag_clip(service, waits.id, "P2", "P2.1", "parent", "What did you notice about how long you waited?")
    editing.tag_clip(service, waits.id, "P3", "P3.4", "parent", "How do you think she felt when you smiled back?")
    editing.tag_clip(service, turns.id, "P4", "P4.6", "parent", "Who started this game?")
    editing.tag_clip(service, turns.id, "P1", "P1.5", "parent")
    editing.tag_clip(service, naming.id, "P2", "P2.4", "parent", "What did you say, and what did she do next?")
    editing.add_still(service, recording.id, 97, "She turns to you, and you are already smiling")
    editing.add_still(service, recording.id, 345, "Your turn, my turn — you both enjoyed it")
    editing.add_still(service, recording.id, 600, "You named what she was feeling")
    session_id = recording.session_id
    feedback.add_comment(service, session_id, "Lovely pause here. Let her notice the waiting before you name it.",
                         clip_id=waits.id, frame=90, principle="P2", author=SUPERVISOR)
    feedback.add_comment(service, session_id, "A calm pace overall: stay with the stills as long as she wants.",
                         author=SUPERVISOR)
    return service, session_id


def main() -> int:
    app = make_application()
    service, session_id = library()
    steps = shots.Steps(app, SETTLE_MS)
    then, then_when = steps.then, steps.then_when
    state: dict = {}

    def mode():
        return state["mode"]

    def shows(index: int, frame: int) -> bool:
        """The family screen shows playlist item `index`, paused, on `frame` (decoded and painted)."""
        c, picture = mode().controller, mode().family.picture
        return (c.index == index and not c.playing and c.current_frame == frame
                and picture.frame_index() == frame)

    def start() -> None:
        state["mode"] = start_review(service, session_id, presenter=True)

    def say(words: str) -> None:
        """The practitioner writes down what the parent says; Enter saves it with the moment."""
        presenter = mode().presenter
        presenter.words_edit.setText(words)
        presenter.save_words()

    def presenter_full_screen() -> None:
        presenter = mode().presenter
        presenter.setGeometry(presenter.screen().availableGeometry())
        presenter.raise_()
        presenter.activateWindow()

    def end() -> None:
        mode().end()

    then(start, 1500)
    then_when(lambda: shows(0, 60))
    then(lambda: say("She was waiting for me"))
    then(lambda: mode().controller.go_to(1))  # the still inside the first clip
    then_when(lambda: shows(1, 97), then_ms=1800)  # long enough for the pointer to hide
    then(lambda: shoot("review-still"), 100)
    then(lambda: say("I didn't know she was looking at me"))
    then(lambda: mode().controller.go_to(2, 342))  # the second clip, paused mid-way
    then_when(lambda: shows(2, 342))
    then(lambda: shoot("review-clip"), 100)
    then(lambda: mode().controller.go_to(1))
    then_when(lambda: shows(1, 97))
    then(presenter_full_screen)
    then(lambda: shoot("presenter"), 100)
    then(end, 300)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
