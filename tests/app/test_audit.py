"""The audit log: what is recorded, the hash chain catching an edited row, CSV export."""

from __future__ import annotations

import csv

from vigstudio.app import audit, consent
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording


def _tamper(service, sql: str) -> None:
    with service.edit() as repos:
        conn = repos.orm_session.connection()
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        conn.exec_driver_sql(sql)


def test_chain_detects_an_edited_and_a_deleted_row(service, video):
    add_case(service, "F-1")
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
    add_case(service, "F-2", name="A Family Name")
    path = tmp_path / "audit.csv"
    count = audit.export_csv(service, path)
    rows = list(csv.reader(path.open()))
    assert rows[0] == audit.CSV_HEADER and len(rows) == count + 1
    assert any(r[2] == "case_add" and "F-2" in r[3] for r in rows[1:])
    assert "A Family Name" not in path.read_text()


# --- truncation and rollback (audit.anchor) ----------------------------------------------------------



def test_rows_cut_off_the_end_are_detected(service, passphrase):
    for code in ("F-1", "F-2", "F-3"):
        add_case(service, code)
    assert audit.verify(service).ok
    events = audit.list_events(service)
    # Whoever holds the key: cut the last two events; what remains is a valid chain.
    _tamper(service, f"DELETE FROM audit_events WHERE id >= {events[-2].id}")
    report = audit.verify(service)
    assert report.broken == [] and not report.ok
    assert "rolled back or truncated" in report.message() and "events were removed" in report.message()


def test_an_older_library_db_put_back_is_detected(service, tmp_path, passphrase):
    path = service.path
    add_case(service, "F-1")
    consent.add(service, "F-1", ["storage", "supervision"], "HV")
    service.close()
    old_db = (path / "library.db").read_bytes()  # closed: the WAL is checkpointed into the file
    service.open(path, passphrase)
    consent.withdraw(service, "F-1", "supervision")
    service.close()
    (path / "library.db").write_bytes(old_db)  # the withdrawal is gone
    service.open(path, passphrase)
    report = audit.verify(service)
    assert not report.ok and report.broken == []
    assert "an older library.db was put back" in report.message()
    add_case(service, "F-2")  # editing on does not launder the evidence
    assert not audit.verify(service).ok


def test_an_older_anchor_put_back_is_detected(service, passphrase):
    path = service.path
    add_case(service, "F-1")
    old_anchor = (path / "audit.anchor").read_bytes()
    add_case(service, "F-2")
    (path / "audit.anchor").write_bytes(old_anchor)
    report = audit.verify(service)
    assert not report.ok and "an older audit.anchor was put back" in report.message()


def test_a_deleted_or_forged_anchor_is_detected(service):
    path = service.path
    add_case(service, "F-1")
    anchor = (path / "audit.anchor").read_text()
    (path / "audit.anchor").write_text(anchor.replace('"counter": ', '"counter": 1'))
    assert "HMAC fails" in audit.verify(service).message()
    (path / "audit.anchor").unlink()
    assert "audit.anchor is missing" in audit.verify(service).message()


def test_a_chain_recomputed_without_the_key_is_detected(service):
    from vigstudio.store.repositories import audit_hash

    add_case(service, "F-1")
    first = audit.list_events(service)[0]
    forged = audit_hash("0" * 64, first.at, "nothing", first.object)
    _tamper(service, f"UPDATE audit_events SET action = 'nothing', hash = '{forged}' WHERE id = {first.id}")
    assert first.id in audit.verify(service).broken


def test_everything_rolled_back_together_is_not_detected(service, passphrase):
    """The documented limit: library.db and audit.anchor copied back as a pair look consistent."""
    path = service.path
    add_case(service, "F-1")
    service.close()
    saved = {name: (path / name).read_bytes() for name in ("library.db", "audit.anchor")}
    service.open(path, passphrase)
    add_case(service, "F-2")
    service.close()
    for name, data in saved.items():
        (path / name).write_bytes(data)
    service.open(path, passphrase)
    assert audit.verify(service).ok


def test_a_crash_between_commit_and_anchor_is_not_reported(service, passphrase, monkeypatch):
    """The anchor is written before the commit (pending) and after it: a crash between leaves a
    state the verification accepts, whichever side of the commit it happened on."""
    from vigstudio.store import library as store_library

    def crash(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_library._Anchoring, "committed", crash)
    try:
        add_case(service, "F-1")
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    assert audit.verify(service).ok
    add_case(service, "F-2")
    assert audit.verify(service).ok
