"""The library window's tree and details for a case with a VIG intervention and a WWW course."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app.cases import add_case, add_session
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.app.www import Courses
from vigstudio.ui.library_model import NodeKind, build_nodes
from vigstudio.ui.panels import describe


@pytest.fixture
def service(tmp_path, passphrase):
    svc = LibraryService()
    svc.create(tmp_path / "lib", passphrase)
    yield svc
    svc.close()


def test_a_www_course_shows_its_progress_and_sessions(service):
    add_case(service, "F-021")
    add_session(service, "F-021")  # VIG cycle 1
    courses = Courses(service)
    course = courses.add_intervention("F-021", "www")
    today = dt.date.today()
    courses.add_session(course.id, today - dt.timedelta(days=14), attendees=["mother"])
    courses.add_session(course.id, today - dt.timedelta(days=7), attendance="cancelled", cancelled_by="service",
                        reason="therapist ill")
    courses.add_session(course.id, today + dt.timedelta(days=7))
    [case] = build_nodes(library_tree(service)).children
    kinds = [child.kind for child in case.children]
    assert kinds == [NodeKind.CYCLE, NodeKind.COURSE]
    course_node = case.children[1]
    assert course_node.label() == "WWW course  ·  WWW session 1 of 15"
    labels = [s.label() for s in course_node.children]
    assert labels[1].endswith("(cancelled)") and labels[2].endswith("(planned)") and "(" not in labels[0]
    details = describe(course_node)
    assert "1 cancelled by the service" in details and "therapist ill" in details
    assert f"next planned {today + dt.timedelta(days=7):%d %b %Y}" in details
    case_details = describe(case)
    assert "WWW session 1 of 15" in case_details
