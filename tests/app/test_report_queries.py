"""Every report reads its data in a handful of bulk queries, whatever the size of the library: the SQL
statements each report issues are counted (SQLAlchemy's `before_cursor_execute` on the library's real
engine) in a library of 3 cases and in one of 30, and must be as many. This guards against a query
per case, completion or session coming back, without timing anything (the timings are in
bench/reports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bench.report_library import generate
from tests.conftest import PASSPHRASE
from vigstudio.app import activity_report, outcome_report, pathway, portfolio
from vigstudio.app.library import LibraryService
from vigstudio.app.www.overview import course_overview
from vigstudio.app.www.summary import make_course_summary

TODAY = dt.date.today()


@contextmanager
def counted(service: LibraryService) -> Iterator[list[str]]:
    """The SQL statements run on the library's engine (snapshots and edits alike) inside the block."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = service.library.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _first_course(service: LibraryService) -> int:
    with service.read() as repos:
        first = repos.cases.by_code("R-0001")
        return next(i.saved_id for i in repos.interventions.of_case(first.saved_id) if i.kind.value == "www")


REPORTS: dict[str, Callable[[LibraryService, Path], object]] = {
    "outcome report": lambda s, _out: outcome_report.gather(s),
    "outcome report, both, a period": lambda s, _out: outcome_report.gather(
        s, kind="both", date_from=TODAY - dt.timedelta(days=700), date_to=TODAY - dt.timedelta(days=100)),
    "activity report": lambda s, _out: activity_report.gather(s, TODAY - dt.timedelta(days=3 * 365), TODAY),
    "caseload": lambda s, _out: pathway.caseload(s, include_closed=True),
    "training portfolio": lambda s, out: portfolio.make_portfolio(s, out / "portfolio.pdf"),
    "WWW course overview": lambda s, _out: course_overview(s, _first_course(s)),
    "WWW course summary": lambda s, out: make_course_summary(s, _first_course(s), out / "summary.pdf"),
}


@pytest.fixture(scope="module")
def libraries(tmp_path_factory) -> Iterator[dict[int, LibraryService]]:
    """A library of 3 cases (WWW courses of 3 sessions) and one of 30 (courses of 30 sessions), made
    once for the module (each report only reads them, but for the audit events of the PDFs)."""
    folder = tmp_path_factory.mktemp("report-queries")
    made = {}
    with pytest.MonkeyPatch.context() as env:  # as the autouse fixture does per test: no real user folders
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"):
            env.setenv(var, str(folder / var.lower()))
        for cases in (3, 30):
            service = LibraryService()
            service.create(folder / f"lib{cases}", PASSPHRASE)
            generate(service, cases, www_sessions=cases)
            made[cases] = service
        yield made
        for service in made.values():
            service.close()


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_report_issues_as_many_statements_for_30_cases_as_for_3(libraries, tmp_path, name):
    report = REPORTS[name]
    issued = {}
    for cases, service in libraries.items():
        out = tmp_path / f"out{cases}"
        out.mkdir()
        report(service, out)  # once first: caches (catalogues, compiled statements) warm
        with counted(service) as statements:
            report(service, out)
        issued[cases] = statements
    selects = [s for s in issued[3] if s.lstrip().upper().startswith("SELECT")]
    assert selects, "the counter sees the report's reads"
    assert len(issued[30]) == len(issued[3]), (
        f"{name}: {len(issued[3])} statements at 3 cases, {len(issued[30])} at 30 (a query per case?)")
    assert len(selects) <= 16, f"{name}: {len(selects)} reads for 3 cases; a report reads in a handful of bulk queries"
