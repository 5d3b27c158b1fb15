"""The course overview of a WWW intervention and its anonymous summary PDF (checked with pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from vigstudio.app.audit import list_events
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.www import Courses, Observations, WonderNotes
from vigstudio.app.www.overview import course_overview
from vigstudio.app.www.summary import make_course_summary
from vigstudio.domain.errors import InvalidInput

D = dt.date(2026, 9, 7)


@pytest.fixture
def course(service, video):
    add_case(service, "F-021", name="Jane Secretname")
    courses = Courses(service)
    course = courses.add_intervention("F-021", "www", planned=12)
    first = courses.add_session(course.id, D, attendees=["mother"], notes="Jane said hello")
    courses.add_session(course.id, D + dt.timedelta(days=7), attendance="cancelled", reason="Jane's car broke")
    second = courses.add_session(course.id, D + dt.timedelta(days=14), attendees=["mother", "father"])
    courses.add_session(course.id, D + dt.timedelta(days=21), attendance="dna")
    rec1 = import_recording(service, "F-021", video, session_id=first.id)
    rec2 = import_recording(service, "F-021", video, session_id=second.id)
    obs = Observations(service)
    a = obs.add(rec1.id, 5, "I-REACH")
    obs.add(rec1.id, 8, "M-FOLLOW", responds_to=a.id)
    b = obs.add(rec1.id, 20, "I-VOCAL")
    obs.add(rec1.id, 22, "M-REDIRECT", responds_to=b.id)
    c = obs.add(rec2.id, 3, "I-PLAY")
    obs.add(rec2.id, 6, "M-FOLLOW", responds_to=c.id)
    obs.add(rec2.id, 30, "M-FOLLOW")  # names no initiative: not counted
    notes = WonderNotes(service)
    notes.add(first.id, "theme", theme="T-OWN-CHILDHOOD")
    notes.add(second.id, "theme", theme="T-OWN-CHILDHOOD")
    notes.add(second.id, "theme", "Jane's sister")
    notes.add(second.id, "mother_felt", "proud")
    return course


def test_overview_counts_followed_against_redirected_and_themes(service, course):
    overview = course_overview(service, course.id)
    assert [s.number for s in overview.sessions] == [1, None, 2, None]
    assert [(s.initiatives, s.followed, s.redirected) for s in overview.sessions] == [
        (2, 1, 1), (0, 0, 0), (1, 1, 0), (0, 0, 0)]
    assert (overview.initiatives, overview.followed, overview.redirected) == (3, 2, 1)
    assert overview.themes() == [("The mother's own childhood", 2)]
    assert overview.sessions[2].own_themes == ("Jane's sister",)
    assert [o.frame for o in overview.sessions[2].observations] == [3, 6, 30]  # the moments to jump to
    assert overview.progress.headline() == "WWW session 2 of 12"


def test_course_summary_pdf_is_anonymous_and_audited(service, course, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = make_course_summary(service, course.id, tmp_path / "summary.pdf")
    layout = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                            check=True).stdout
    text = " ".join(layout.split())
    assert "Watch, Wait and Wonder" in text and "Course summary" in text
    assert "2 of 12 planned sessions attended (07 September 2026 to 21 September 2026)" in text
    assert "1 cancelled by the family, 0 cancelled by the service, 1 not attended" in text
    assert "the mother followed 2 and redirected 1" in text
    assert "mother, father" in text and "not attended" in text
    assert "The mother's own childhood — 2 sessions" in text
    assert "1 theme in the therapist's own words" in text
    for secret in ("F-021", "Jane", "Secretname", "car broke", "proud", "hello"):
        assert secret not in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts
    assert [e.object for e in list_events(service) if e.action == "export"] == [
        f"course summary intervention {course.id} case F-021"]
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.partial"))


def test_course_summary_refuses_a_vig_intervention_and_a_wrong_suffix(service, course, tmp_path):
    vig = Courses(service).add_intervention("F-021", "vig")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match="not a Watch, Wait and Wonder course"):
        make_course_summary(service, vig.id, out / "x.pdf")
    with pytest.raises(InvalidInput, match="must end in .pdf"):
        make_course_summary(service, course.id, out / "x.txt")
    assert list(out.iterdir()) == []
