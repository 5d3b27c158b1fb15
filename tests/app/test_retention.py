"""Retention: what is due after a case closes, and purging it (containers removed)."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import retention
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.domain.errors import InvalidInput


def test_due_and_purge(service, video):
    add_case(service, "OLD")
    add_case(service, "OPEN")
    old = import_recording(service, "OLD", video)
    kept = import_recording(service, "OPEN", video)
    today = dt.date(2026, 6, 1)
    assert retention.due(service, today) == []  # no period set: nothing is ever due
    retention.set_weeks(service, 8)
    assert retention.weeks(service) == 8
    retention.close_case(service, "OLD", on=dt.date(2026, 4, 1))
    assert retention.due(service, dt.date(2026, 5, 26)) == []  # 8 weeks not over yet
    due = retention.due(service, dt.date(2026, 5, 27))
    assert [(d.recording_id, d.case_code, d.due_on) for d in due] == [(old.id, "OLD", dt.date(2026, 5, 27))]
    with pytest.raises(InvalidInput, match="not due"):
        retention.purge(service, [old.id, kept.id], today)
    assert retention.purge(service, [old.id], today) == 1
    assert {p.name for p in (service.path / "media").iterdir()} == {kept.container}
    assert retention.due(service, today) == []
    with pytest.raises(InvalidInput):
        retention.set_weeks(service, -1)


def test_the_default_period_is_25_years_from_the_records_code_and_the_review_follows_it(service, video):
    from vigstudio.app import pathway

    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    period = retention.period(service)
    assert (period.weeks, period.is_default) == (retention.DEFAULT_WEEKS, True)
    assert "25 years" in period.words() and "25th birthday" in retention.DEFAULT_REASON
    closed = dt.date(2026, 4, 1)
    retention.close_case(service, "F-1", on=closed)
    day_before = dt.date(2051, 4, 1)  # 25 calendar years: the default is never shorter
    assert retention.due(service, day_before) == []
    [row] = pathway.caseload(service, today=day_before, include_closed=True)
    assert "retention_review_due" not in row.outstanding
    due_on = closed + dt.timedelta(weeks=retention.DEFAULT_WEEKS)
    assert [d.recording_id for d in retention.due(service, due_on)] == [recording.id]
    [row] = pathway.caseload(service, today=due_on, include_closed=True)
    assert "retention_review_due" in row.outstanding
    retention.set_weeks(service, 8)
    assert retention.period(service) == retention.Period(8, False)
    retention.set_weeks(service, None)  # back to the default
    assert retention.period(service).is_default
