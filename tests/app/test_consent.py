"""Consent per case and scope; `require` naming what is missing; deleting a case's media."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import audit, consent
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.domain.errors import ConsentMissing, InvalidInput
from vigstudio.domain.model import ConsentScope


def test_add_withdraw_require(service):
    add_case(service, "F-1")
    consent.add(service, "F-1", ["storage", "Supervision"], recorded_by="HV Smith")
    assert consent.active_scopes(service, "F-1") == {ConsentScope.STORAGE, ConsentScope.SUPERVISION}
    consent.require(service, "F-1", "supervision")
    with pytest.raises(ConsentMissing, match="case F-1 has no 'training' consent"):
        consent.require(service, "F-1", "training")
    consent.withdraw(service, "F-1", "supervision")
    with pytest.raises(ConsentMissing, match="'supervision'"):
        consent.require(service, "F-1", ConsentScope.SUPERVISION)
    assert consent.was_withdrawn(service, "F-1", "supervision")
    records = consent.consents(service, "F-1")
    assert [(c.scope.value, c.active, c.recorded_by) for c in records] == [
        ("storage", True, "HV Smith"), ("supervision", False, "HV Smith")]
    with pytest.raises(InvalidInput, match="unknown consent scope"):
        consent.add(service, "F-1", ["research"], "HV")
    with pytest.raises(ConsentMissing):
        consent.withdraw(service, "F-1", "training")


def test_delete_case_media_removes_rows_and_containers(service, video):
    add_case(service, "F-1")
    add_case(service, "F-2")
    gone = import_recording(service, "F-1", video)
    kept = import_recording(service, "F-2", video)
    assert consent.delete_case_media(service, "F-1") == 1
    media = {p.name for p in (service.path / "media").iterdir()}
    assert media == {kept.container}
    assert gone.container not in media
    assert any(e.action == "delete" and f"recording {gone.id}" in e.object for e in audit.list_events(service))
    assert audit.verify(service).ok


def test_one_rule_names_the_scope_of_every_use(service):
    assert consent.NEEDED == {
        consent.Use.PLAIN_EXPORT: ConsentScope.KEEPSAKE, consent.Use.KEEPSAKE: ConsentScope.KEEPSAKE,
        consent.Use.CLOSING_LETTER: ConsentScope.KEEPSAKE, consent.Use.TRAINING_EXPORT: ConsentScope.TRAINING,
        consent.Use.SUPERVISION_BUNDLE: ConsentScope.SUPERVISION, consent.Use.ANONYMOUS_REPORT: None}
    assert set(consent.SCOPE_MEANINGS) == set(ConsentScope)
    add_case(service, "F-1")
    assert consent.require_for(service, "F-1", consent.Use.ANONYMOUS_REPORT) is None
    assert consent.check_use(service, "F-1", consent.Use.ANONYMOUS_REPORT).allowed
    check = consent.check_use(service, "F-1", consent.Use.KEEPSAKE)
    assert (check.allowed, check.scope, check.withdrawn_on) == (False, ConsentScope.KEEPSAKE, None)
    with pytest.raises(ConsentMissing, match="no 'keepsake' consent"):
        consent.require_for(service, "F-1", consent.Use.CLOSING_LETTER)
    consent.add(service, "F-1", ["keepsake"], recorded_by="HV")
    assert consent.require_for(service, "F-1", consent.Use.PLAIN_EXPORT) == ConsentScope.KEEPSAKE
    consent.withdraw(service, "F-1", "keepsake", on=dt.date(2026, 3, 4))
    check = consent.check_use(service, "F-1", consent.Use.KEEPSAKE)
    assert (check.allowed, check.withdrawn_on) == (False, dt.date(2026, 3, 4))
    with pytest.raises(consent.ConsentWithdrawn, match="F-1 has no 'keepsake' consent: it was withdrawn on 2026-03-04"):
        consent.require_for(service, "F-1", consent.Use.KEEPSAKE)
    consent.add(service, "F-1", ["keepsake"], recorded_by="HV")  # given again: allowed again
    assert consent.check_use(service, "F-1", consent.Use.KEEPSAKE).allowed
