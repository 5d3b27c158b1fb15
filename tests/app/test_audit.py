"""The audit log: what is recorded, the hash chain catching an edited row, CSV export."""

from __future__ import annotations

import csv

from vigstudio.app import audit, consent
from vigstudio.app.importing import import_recording


def _tamper(service, sql: str) -> None:
    with service.edit() as repos:
        conn = repos.orm_session.connection()
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        conn.exec_driver_sql(sql)


def test_chain_detects_an_edited_and_a_deleted_row(service, video):
    service.add_case("F-1")
    import_recording(service, "F-1", video)
    consent.add(service, "F-1", ["storage"], "HV")
    report = audit.verify(service)
    assert report.ok and report.checked >= 4 and "intact" in report.message()
    events = audit.list_events(service)
    target = next(e for e in events if e.action == "import")
    _tamper(service, f"UPDATE audit_events SET object = 'recording 99' WHERE id = {target.id}")
    report = audit.verify(service)
    assert report.broken == [target.id] and "altered" in report.message()
    _tamper(service, f"DELETE FROM audit_events WHERE id = {events[1].id}")
    assert events[2].id in audit.verify(service).broken


def test_csv_export(service, tmp_path):
    service.add_case("F-2", name="A Family Name")
    path = tmp_path / "audit.csv"
    count = audit.export_csv(service, path)
    rows = list(csv.reader(path.open()))
    assert rows[0] == audit.CSV_HEADER and len(rows) == count + 1
    assert any(r[2] == "case_add" and "F-2" in r[3] for r in rows[1:])
    assert "A Family Name" not in path.read_text()
