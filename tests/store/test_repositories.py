"""Repositories take and return domain dataclasses; rows never leak out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from vigstudio.domain import model
from vigstudio.domain.errors import InvalidInput, NotFound
from vigstudio.store.repositories import AuditLog

from .conftest import add_family, add_recording


def test_every_entity_round_trips(library):
    with library.transaction() as repos:
        f = add_family(repos)
        rec = add_recording(repos, f["session"].id)
        clip = repos.clips.add(model.Clip(rec.id, 5, 15, title="first look", position=1))
        ann = repos.annotations.add(model.Annotation(clip.id, "P2", "P2.1", model.Who.PARENT, "smile", 7))
        still = repos.stills.add(model.Still(rec.id, 9, caption="eyes", position=0))
        marker = repos.markers.add(model.Marker(rec.id, 12, note="turn"))
        consent = repos.consents.add(model.Consent(f["case"].id, model.ConsentScope.TRAINING, "AB",
                                                   date=dt.date(2026, 1, 2)))
        saved = [*f.values(), rec, clip, ann, still, marker, consent]
    with library.transaction() as repos:
        for obj in saved:
            repo = getattr(repos, {"Case": "cases", "Intervention": "interventions", "Cycle": "cycles",
                                   "Session": "sessions", "Recording": "recordings", "Clip": "clips",
                                   "Annotation": "annotations", "Still": "stills", "Marker": "markers",
                                   "Consent": "consents"}[type(obj).__name__])
            loaded = repo.get(obj.id)
            assert type(loaded) is type(obj) and loaded == obj
            assert not hasattr(loaded, "_sa_instance_state")
        assert isinstance(repos.annotations.get(ann.id).who, model.Who)
        assert repos.recordings.container_key(rec.id) == "ab" * 32
        assert repos.sessions.case_of(f["session"].id) == f["case"]


def test_update_and_delete(library):
    with library.transaction() as repos:
        f = add_family(repos)
    case = f["case"]
    with library.transaction() as repos:
        case.status = model.CaseStatus.CLOSED
        case.name = None
        repos.cases.update(case)
    with library.transaction() as repos:
        assert repos.cases.get(case.id).status is model.CaseStatus.CLOSED
        assert repos.cases.get(case.id).name is None
        with pytest.raises(NotFound):
            repos.cases.update(dataclasses.replace(case, id=999))
        with pytest.raises(NotFound):
            repos.cases.delete(999)


def test_saved_id_is_the_id_the_store_gave_and_refuses_an_unsaved_object(library):
    case = model.Case("F-7")
    with pytest.raises(ValueError, match="this Case has not been saved yet"):
        _ = case.saved_id
    with library.transaction() as repos:
        with pytest.raises(ValueError, match="has not been saved yet"):
            repos.cases.update(case)  # an update needs a saved object: nothing is written
        saved = repos.cases.add(case)
    assert saved.saved_id == saved.id and isinstance(saved.id, int)
    with library.transaction() as repos:
        assert [c.code for c in repos.cases.list()] == ["F-7"]


def test_deleting_a_case_deletes_everything_below_it(library):
    with library.transaction() as repos:
        f = add_family(repos)
        rec = add_recording(repos, f["session"].id)
        clip = repos.clips.add(model.Clip(rec.id, 0, 5))
        repos.annotations.add(model.Annotation(clip.id, "P1"))
        repos.assets.put(rec.id, "index", b"\x01\x02")
        repos.consents.add(model.Consent(f["case"].id, model.ConsentScope.STORAGE, "AB"))
    with library.transaction() as repos:
        repos.cases.delete(f["case"].id)
    with library.transaction() as repos:
        for name in ("cases", "interventions", "cycles", "sessions", "recordings", "clips", "annotations",
                     "consents"):
            assert getattr(repos, name).list() == [], name
        assert repos.assets.get(rec.id, "index") is None
        assert repos.recordings.containers() == {}  # the container key is gone with the row


def test_lists_and_ordering(library):
    with library.transaction() as repos:
        f = add_family(repos, code="F-002")
        add_family(repos, code="F-001")
        rec_a = add_recording(repos, f["session"].id, container="a" * 32 + ".vigm")
        rec_b = add_recording(repos, f["session"].id, container="b" * 32 + ".vigm")
        for pos, (rec, start) in enumerate([(rec_b, 0), (rec_a, 30), (rec_a, 10)]):
            repos.clips.add(model.Clip(rec.id, start, start + 5, position=2 - pos))
        repos.stills.add(model.Still(rec_a.id, 40, position=1))
        repos.stills.add(model.Still(rec_a.id, 20, position=0))
        repos.markers.add(model.Marker(rec_a.id, 9))
        repos.markers.add(model.Marker(rec_a.id, 3))
    with library.transaction() as repos:
        assert [c.code for c in repos.cases.list()] == ["F-001", "F-002"]
        assert repos.cases.by_code("F-002").id == f["case"].id
        assert repos.cases.find_by_code("F-999") is None
        with pytest.raises(NotFound, match="unknown case: F-999"):
            repos.cases.by_code("F-999")
        assert [r.id for r in repos.recordings.of_session(f["session"].id)] == [rec_a.id, rec_b.id]
        assert [(c.start_frame, c.position) for c in repos.clips.of_session(f["session"].id)] == [
            (10, 0), (30, 1), (0, 2)]
        assert [c.start_frame for c in repos.clips.of_recording(rec_a.id)] == [10, 30]
        assert [s.frame for s in repos.stills.of_recording(rec_a.id)] == [20, 40]
        assert [s.frame for s in repos.stills.of_session(f["session"].id)] == [20, 40]
        assert [m.frame for m in repos.markers.of_recording(rec_a.id)] == [3, 9]
        assert [i.id for i in repos.interventions.of_case(f["case"].id)] == [f["intervention"].id]
        assert [c.id for c in repos.cycles.of_intervention(f["intervention"].id)] == [f["cycle"].id]
        assert [s.id for s in repos.sessions.of_cycle(f["cycle"].id)] == [f["session"].id]


def test_duplicate_case_code_refused(library):
    with library.transaction() as repos:
        add_family(repos, code="F-003")
    with pytest.raises(InvalidInput, match="F-003 already exists"), library.transaction() as repos:
        repos.cases.add(model.Case("F-003"))


def test_recording_needs_its_container_key(library):
    with pytest.raises(InvalidInput), library.transaction() as repos:
        f = add_family(repos)
        repos.recordings.add(model.Recording(f["session"].id, "x.mp4", "c.vigm", "0" * 64, 1, 1.0, 1.0))


def test_audit_log_appends_and_lists(library):
    t0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    with library.transaction() as repos:
        for i in range(5):
            repos.audit.append(model.AuditEvent("edit", f"clip {i}", at=t0 + dt.timedelta(minutes=i)))
    with library.transaction() as repos:
        events = repos.audit.list()
        assert [e.object for e in events] == [f"clip {i}" for i in range(5)]
        assert events[0].at == t0 and events[0].at.tzinfo is not None
        assert [e.object for e in repos.audit.list(limit=2)] == ["clip 3", "clip 4"]
        assert [e.object for e in repos.audit.list(since=t0 + dt.timedelta(minutes=3))] == ["clip 3", "clip 4"]
    assert not any(hasattr(AuditLog, name) for name in ("update", "delete"))


def test_assets_put_get_replace(library):
    with library.transaction() as repos:
        rec = add_recording(repos, add_family(repos)["session"].id)
        assert repos.assets.get(rec.id, "waveform") is None
        repos.assets.put(rec.id, "waveform", b"\x00" * 1000)
        repos.assets.put(rec.id, "waveform", b"peaks")
        repos.assets.put(rec.id, "index", bytes(range(256)))
    with library.transaction() as repos:
        assert repos.assets.get(rec.id, "waveform") == b"peaks"
        assert repos.assets.get(rec.id, "index") == bytes(range(256))
        assert repos.assets.kinds(rec.id) == ["index", "waveform"]


def test_naive_datetimes_are_refused(library):
    with pytest.raises(Exception, match="naive datetime"), library.transaction() as repos:
        repos.audit.append(model.AuditEvent("x", "y", at=dt.datetime(2026, 1, 1)))
