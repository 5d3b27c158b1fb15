"""The trainee's shared-review timeline with the guider's lanes, at a clinic laptop's 1366×768.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_guider_screenshot.py [OUT_DIR]

Two generated libraries and real signed bundles (no real family): the trainee tags their shared review
(self-assessment) and sends it with the session; the supervisor rates the guider on the review recording
and sends the feedback back; the trainee's editor on the shared-review session shows both lanes.
"""

from __future__ import annotations

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from shots import PASSPHRASE, TMP, sample_recording, shoot

from vigstudio.app import bundles, consent, editing, feedback, guider, keys
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import SessionKind
from vigstudio.ui.app import make_application
from vigstudio.ui.editor import EditorWindow

CODE = "F-014"
SELF = ((90, "P1", "I noticed she was looking at the cups"), (240, "P3", "I named what she said"),
        (420, "P5", "I waited before suggesting"), (610, "P4", "I built on her idea"))
RATINGS = ((150, "P2", "You encouraged her to say more"), (250, "P3", "Receiving initiatives — you named what "
                                                                      "she said"),
           (480, "P5", "Guiding: a well-timed question"), (700, "P6", "You deepened the discussion"))


def main() -> int:
    app = make_application()
    trainee = LibraryService()
    trainee.create(TMP / "Trainee library", PASSPHRASE)
    add_case(trainee, CODE, referral="health_visitor")
    consent.add(trainee, CODE, ["storage", "supervision"], recorded_by="HV Jones")
    filming = sample_recording(trainee, CODE, 30, "MVI_0412.MP4")
    for start, end, title, code in ((60, 135, "She waits for Maya", "P2"), (300, 390, "Turn-taking", "P4")):
        editing.tag_clip(trainee, editing.add_clip(trainee, filming.id, start, end, title).id, code)
    review_session = add_session(trainee, CODE, SessionKind.SHARED_REVIEW)
    import io

    from vigstudio.app.importing import import_recording

    video = io.BytesIO()
    shots.sample_video(video, 32)
    video.seek(0)
    review = import_recording(trainee, CODE, video, session_id=review_session.id, file_name="review.MP4")
    with trainee.edit() as repos:
        repos.settings.set("display_name", "Sam (trainee)")
    for frame, code, words in SELF:
        guider.add_self_assessment(trainee, review.id, frame, code, words)

    supervisor = LibraryService()
    supervisor.create(TMP / "Supervisor library", PASSPHRASE)
    keys.add_contact(trainee, "Dr Ada Lovelace", keys.contact_card(supervisor), "supervisor")
    keys.add_contact(supervisor, "Sam", keys.contact_card(trainee), "practitioner")
    bundle = TMP / "session.age"
    bundles.export_session_bundle(trainee, filming.session_id, bundle, to=["Dr Ada Lovelace"],
                                  with_review_recording=True)
    opened = bundles.open_bundle(supervisor, bundle)
    with supervisor.read() as repos:
        [there] = [r for r in repos.recordings.of_session(opened.session_id) if r.file_name.startswith("shared review")]
    for frame, code, words in RATINGS:
        feedback.add_comment(supervisor, opened.session_id, words, recording_id=there.id, frame=frame, principle=code,
                             author="Dr Ada Lovelace", rates_guider=True)
    feedback.add_comment(supervisor, opened.session_id, "A lovely moment for Maya", recording_id=there.id, frame=330,
                         author="Dr Ada Lovelace")
    back = TMP / "feedback.age"
    feedback.export_feedback_bundle(supervisor, CODE, back, to=["Sam"])
    bundles.open_bundle(trainee, back)
    supervisor.close()

    state: dict = {}
    steps = shots.Steps(app, 900)

    def open_editor() -> None:
        window = EditorWindow(trainee, review_session.id)
        window.setGeometry(window.screen().availableGeometry())
        window.show()
        window.supervision.dock.raise_()
        state["window"] = window

    steps.then(open_editor, 1800)
    steps.then(lambda: state["window"].playback.seek(250), 900)
    steps.then_when(lambda: state["window"].view.frame_index() == 250)
    steps.then(lambda: shoot("guider-lane"), 100)
    steps.then(lambda: state["window"].close(), 300)
    steps.start()
    code = app.exec()
    trainee.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
