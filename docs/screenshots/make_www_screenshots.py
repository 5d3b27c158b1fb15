"""Watch, Wait and Wonder at a clinic laptop's 1366×768 (needs Xvfb and ImageMagick): the editor of a
session, its observations in their own timeline lane and listed beside the picture, with the quiet
session clock (www-editor-observations.png); the library window's course view, each session's
attendance, followed against redirected, themes and links to the moments (www-course-view.png).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_www_screenshots.py [OUT_DIR]

Everything is made in a temporary folder from a generated sample recording (see shots.py).
"""

from __future__ import annotations

import datetime as dt
import io

import shots  # first: an isolated settings folder and fast key derivation, before PySide6 is imported
from shots import PASSPHRASE, TMP, sample_video, shoot

from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.editor import EditorWindow
from vigstudio.ui.main_window import MainWindow

SETTLE_MS = 900


def library() -> tuple[LibraryService, int, int]:
    service = LibraryService()
    service.create(TMP / "Clinic library", PASSPHRASE)
    add_case(service, "F-021", referral="health_visitor")
    courses = Courses(service)
    course = courses.add_intervention("F-021", "www", started_on=dt.date.today() - dt.timedelta(days=35))
    for weeks in (5, 4, 3):
        courses.add_session(course.id, dt.date.today() - dt.timedelta(weeks=weeks), attendees=["mother"])
    courses.add_session(course.id, dt.date.today() - dt.timedelta(weeks=2), attendance="cancelled",
                        reason="baby unwell")
    session = courses.add_session(course.id, dt.date.today() - dt.timedelta(weeks=1), attendees=["mother"])
    courses.add_session(course.id, dt.date.today() + dt.timedelta(days=7))
    video = io.BytesIO()
    sample_video(video, 40)
    video.seek(0)
    recording = import_recording(service, "F-021", video, session_id=session.id, file_name="WWW_week6.mp4")
    obs = Observations(service)
    look = obs.add(recording.id, 40, "I-LOOK", text="looks at the rattle")
    obs.add(recording.id, 52, "M-WAIT", end_frame=95, text="waits, hands in her lap")
    reach = obs.add(recording.id, 120, "I-REACH", end_frame=150, text="reaches for the cup")
    obs.add(recording.id, 150, "M-FOLLOW", end_frame=210, responds_to=reach.id, text="passes it, follows")
    obs.add(recording.id, 260, "SHARED", end_frame=330, text="both laugh")
    away = obs.add(recording.id, 400, "I-AWAY", text="turns away")
    obs.add(recording.id, 410, "M-REDIRECT", end_frame=460, responds_to=away.id, text="brings him back")
    obs.add(recording.id, 520, "M-AFFECTION", coder="Second coder")
    obs.add(recording.id, 600, "M-SIGNAL", end_frame=640, text="“he's tired”")
    notes = WonderNotes(service)
    notes.add(session.id, "mother_observed", "He wanted to show me the cup", observation_id=look.id)
    notes.add(session.id, "theme", theme="T-PLAY")
    notes.add(session.id, "theme", theme="T-FEELINGS")
    earlier = courses.add_session(course.id, dt.date.today() - dt.timedelta(weeks=6), attendees=["mother", "father"])
    video.seek(0)
    first = import_recording(service, "F-021", video, session_id=earlier.id, file_name="WWW_week1.mp4")
    away = obs.add(first.id, 30, "I-AWAY")
    obs.add(first.id, 36, "M-REDIRECT", end_frame=80, responds_to=away.id)
    play = obs.add(first.id, 200, "I-PLAY")
    obs.add(first.id, 210, "M-REDIRECT", responds_to=play.id)
    notes.add(earlier.id, "theme", theme="T-FEELINGS")
    return service, session.id, course.id


def main() -> int:
    app = make_application()
    service, session_id, course_id = library()
    state: dict = {}
    steps = shots.Steps(app, SETTLE_MS)

    def open_editor() -> None:
        window = EditorWindow(service, session_id)
        window.setGeometry(window.screen().availableGeometry())
        window.show()
        window.observations_dock.raise_()
        state["window"] = window

    def select() -> None:
        window = state["window"]
        target = window.data.observations[3]
        window.go_to_observation(target.id)
        clock = window.observations_panel.clock_row
        clock.clock.start()
        clock.refresh()

    steps.then(open_editor, 1500)
    steps.then(select, 1200)
    steps.then(lambda: shoot("www-editor-observations"), 100)

    def open_library() -> None:
        window = MainWindow(service)
        install_features(window)
        window.setGeometry(window.screen().availableGeometry())
        window.show()
        window.library_tabs.setCurrentWidget(window.splitter)
        window.splitter.setSizes([400, 966])
        window.tree.select_key(("course", course_id))
        state["library"] = window

    steps.then(open_library, 300)
    steps.then(lambda: state["window"].close(), 1500)  # the library window stays: the app goes on
    steps.then(lambda: shoot("www-course-view"), 100)
    steps.then(lambda: state["library"].close(), 300)
    steps.start()
    code = app.exec()
    service.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
