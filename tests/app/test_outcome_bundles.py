"""Anonymous outcomes bundles between two real libraries: what leaves the practitioner's library,
the lead's all-or-nothing import, replacement and replay, and the service-wide report."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import numpy as np
import pyrage
import pytest
from pyrage import x25519
from scipy import stats

from tests.app.outcome_bundle_support import (
    FAMILY_NAME,
    GOAL_TEXT,
    HELPING_QUESTION,
    LEAD_FAMILIES,
    PRACTITIONER_FAMILIES,
    add_family,
    introduce,
    lead,
    members,
    outcomes_doc,
    plaintext,
    practitioner,
    rebuilt,
)
from vigstudio.app import keys, outcomes
from vigstudio.app.audit import list_events
from vigstudio.app.bundles import open_bundle
from vigstudio.app.cases import add_case
from vigstudio.app.outcome_bundles import (
    export_outcomes_bundle,
    forget_source,
    import_outcomes_bundle,
    sources,
)
from vigstudio.app.outcome_report import gather, make_outcome_report
from vigstudio.app.progress import Progress
from vigstudio.app.senders import AcceptSender, UnknownSender
from vigstudio.bundle import BundleRefused, Member, Sender, make_manifest, tar_stream, write_encrypted
from vigstudio.domain.errors import Cancelled, NotFound


@pytest.fixture
def world(tmp_path, passphrase):
    prac, boss = practitioner(tmp_path, passphrase), lead(tmp_path, passphrase)
    introduce(prac, boss)
    yield prac, boss
    prac.close()
    boss.close()


def held(service):
    """Everything the lead's library holds of imported outcomes, and its contacts."""
    with service.read() as repos:
        return ([(s.id, s.bundle_uid, s.exported_at, s.cases, s.completions) for s in repos.outcome_sources.list()],
                [(c.token, c.measure, c.when, c.month, c.total) for c in repos.outcome_sources.completions()],
                [(g.token, g.start_score, g.end_score) for g in repos.outcome_sources.goals()],
                [(c.id, c.display_name, c.signing_key) for c in repos.contacts.list()])


def test_the_bundle_holds_scores_months_and_tokens_only(world, tmp_path):
    prac, boss = world
    made = export_outcomes_bundle(prac, "Service Lead", tmp_path / "outcomes.age")
    assert (made.cases, made.completions, made.goals) == (6, 22, 1)
    plain = plaintext(made.path, boss)
    assert set(members(plain)) == {"manifest.json", "manifest.sig", "outcomes.json"}
    text = plain.decode("utf-8", "replace")
    for code, *_ in PRACTITIONER_FAMILIES:
        assert code not in text
    for secret in (FAMILY_NAME, HELPING_QUESTION, GOAL_TEXT, "2026-01-13", "2026-04-22"):
        assert secret not in text
    assert not re.search(r"\d{4}-\d\d-\d\d", members(plain)["outcomes.json"].decode())  # months, never days
    with prac.read() as repos:
        uids = [c.uid for c in repos.completions.all()]
    assert not any(uid in text for uid in uids)
    doc = outcomes_doc(made.path, boss)
    assert set(doc) == {"format", "version", "catalogue", "cases"}
    for case in doc["cases"]:
        assert set(case) == {"token", "kind", "completions", "goals"} and case["kind"] == "vig"
        for c in case["completions"]:
            assert set(c) == {"measure", "measure_version", "when", "month", "total", "subscales", "band",
                              "caseness"}
            assert c["month"] in ("2026-01", "2026-04")
        assert all(set(g) == {"start", "end"} for g in case["goals"])
    by_total = {(c["measure"], c["when"], c["total"]) for case in doc["cases"] for c in case["completions"]}
    assert ("PHQ-9", "pre", 18.0) in by_total and ("GAD-7", "post", 5.0) in by_total
    first = next(case for case in doc["cases"] if case["goals"])
    assert first["goals"] == [{"start": 2, "end": 8}]
    assert any(e.action == "outcomes_export" and "leaves the library" in e.object for e in list_events(prac))
    # the same case keeps its token in the next export; a new case gets a new one
    add_family(prac, "PX-SECRET-07", 12, 5, 9, 4)
    add_case(prac, "DEMO-1", is_demo=True)  # the demo family's questionnaires are not the service's
    outcomes.add_completion(prac, "DEMO-1", "PHQ-9", "pre", answers=[1] * 9)
    again = outcomes_doc(export_outcomes_bundle(prac, "Service Lead", tmp_path / "again.age").path, boss)
    assert {c["token"] for c in doc["cases"]} < {c["token"] for c in again["cases"]}
    assert len(again["cases"]) == 7


def test_the_lead_imports_and_the_report_covers_both_libraries(world, tmp_path):
    prac, boss = world
    bundle = export_outcomes_bundle(prac, "Service Lead", tmp_path / "outcomes.age").path
    result = import_outcomes_bundle(boss, bundle)
    assert (result.cases, result.completions, result.goals, result.replaced) == (6, 22, 1, False)
    assert result.sender == "HV Practitioner" and result.not_reported == ()
    [source] = sources(boss)
    assert source.name == "HV Practitioner" and source.fingerprint == keys.own_fingerprint(prac)
    assert source.cases == 6
    report = gather(boss)
    assert report.cases == len(LEAD_FAMILIES) + len(PRACTITIONER_FAMILIES)
    row = next(r for r in report.rows if r.measure.id == "PHQ-9" and r.group == "all")
    families = [f for f in LEAD_FAMILIES + PRACTITIONER_FAMILIES if f[2] is not None]
    assert (row.started, row.completers, row.lost) == (10, 9, 1)
    before, after = np.array([f[1] for f in families], float), np.array([f[2] for f in families], float)
    s = row.summary
    assert s.mean_before == pytest.approx(before.mean()) and s.mean_after == pytest.approx(after.mean())
    assert s.t_p == pytest.approx(stats.ttest_rel(after, before).pvalue)
    assert s.wilcoxon_p == pytest.approx(stats.wilcoxon(after, before).pvalue)
    assert report.goals is not None and report.goals.n == 1 and report.goals.mean_change == 6
    assert [h.name for h in report.sources] == ["HV Practitioner"]
    files = make_outcome_report(boss, tmp_path / "service.pdf", csv_path=tmp_path / "service.csv")
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "10 families" in text and "10 / 9 / 1" in text
    assert f"{s.mean_before:.1f} ({s.sd_before:.1f})" in text and f"{s.t_p:.3f}" in text
    assert "1 practitioner" in " ".join(text.split()) and "HV Practitioner" in text
    assert f"exported {source.exported_at.day} {source.exported_at.strftime('%B %Y')}" in " ".join(text.split())
    for code, *_ in LEAD_FAMILIES + PRACTITIONER_FAMILIES:
        assert code not in text and code not in files.csv.read_text()
    # the month filter: the practitioner's post questionnaires are from April, the lead's from May
    april = gather(boss, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 4, 30))
    phq = next(r for r in april.rows if r.measure.id == "PHQ-9" and r.group == "all")
    assert (phq.started, phq.completers) == (10, 5)  # the lead's own May posts fall outside


def test_a_newer_bundle_replaces_and_an_older_one_is_refused(world, tmp_path):
    prac, boss = world
    first = export_outcomes_bundle(prac, "Service Lead", tmp_path / "first.age").path
    import_outcomes_bundle(boss, first)
    outcomes.add_completion(prac, "PX-SECRET-06", "PHQ-9", "post", answers=[0] * 9, date=dt.date(2026, 6, 2))
    second = export_outcomes_bundle(prac, "Service Lead", tmp_path / "second.age").path
    result = import_outcomes_bundle(boss, second)
    assert result.replaced and result.completions == 23
    [source] = sources(boss)
    assert source.completions == 23 and source.id == result.source_id
    row = next(r for r in gather(boss).rows if r.measure.id == "PHQ-9" and r.group == "all")
    assert (row.started, row.completers) == (10, 10)  # the earlier data is gone, not doubled
    unchanged = held(boss)
    with pytest.raises(BundleRefused, match="before the one already held") as info:
        import_outcomes_bundle(boss, first)
    assert "\n" not in str(info.value)
    with pytest.raises(BundleRefused, match="already imported"):
        import_outcomes_bundle(boss, second)
    assert held(boss) == unchanged
    events = [e for e in list_events(boss) if e.action == "outcomes_import"]
    assert len(events) == 2 and "replacing bundle" in events[1].object


def test_tampered_truncated_forged_and_misaddressed_bundles_are_refused(world, tmp_path, passphrase):
    prac, boss = world
    genuine = export_outcomes_bundle(prac, "Service Lead", tmp_path / "genuine.age").path
    to = keys.identity(boss).to_public()
    plain = plaintext(genuine, boss)
    unchanged = held(boss)

    def inflate(name, data):  # a better outcome than the practitioner recorded
        return data.replace(b'"total": 7.0', b'"total": 0.0') if name == "outcomes.json" else data

    tampered = tmp_path / "tampered.age"
    tampered.write_bytes(pyrage.encrypt(rebuilt(plain, inflate), [to]))
    with pytest.raises(BundleRefused, match="does not match its manifest"):
        import_outcomes_bundle(boss, tampered)

    def redate(name, data):  # re-dated to look newer: the signature covers the manifest
        return data.replace(b'"created_at": "', b'"created_at": "2099') if name == "manifest.json" else data

    resigned = tmp_path / "redated.age"
    resigned.write_bytes(pyrage.encrypt(rebuilt(plain, redate), [to]))
    with pytest.raises(BundleRefused, match="signature does not match"):
        import_outcomes_bundle(boss, resigned)
    truncated = tmp_path / "truncated.age"
    truncated.write_bytes(genuine.read_bytes()[:-40])
    with pytest.raises(BundleRefused, match="damaged or incomplete"):
        import_outcomes_bundle(boss, truncated)
    # posing as the practitioner (their name and age key), signed by a stranger's key
    (tmp_path / "stranger").mkdir()
    stranger = lead(tmp_path / "stranger", passphrase)
    try:
        doc = members(plain)["outcomes.json"]
        posing = Sender(keys.public_key(prac), keys.signing_public_key(stranger), "HV Practitioner")
        forged = _forge(tmp_path / "forged.age", str(to), keys.signing_key(stranger), posing, doc)
        with pytest.raises(BundleRefused, match="may be forged"):
            import_outcomes_bundle(boss, forged, accept_sender=AcceptSender())
        # an unknown sender: refused with the fingerprint until accepted
        own = _forge(tmp_path / "own.age", str(to), keys.signing_key(stranger), keys.sender(stranger), doc)
        with pytest.raises(UnknownSender) as unknown:
            import_outcomes_bundle(boss, own)
        assert unknown.value.fingerprint == keys.own_fingerprint(stranger) in str(unknown.value)
        # made for someone else: the lead's key cannot open it
        keys.add_contact(prac, "Another Lead", keys.contact_card(stranger), "supervisor")
        elsewhere = export_outcomes_bundle(prac, "Another Lead", tmp_path / "elsewhere.age").path
        with pytest.raises(BundleRefused, match="cannot be opened with this library's key"):
            import_outcomes_bundle(boss, elsewhere)
        # passed on: re-encrypted as it is to a library it was not made for
        passed = tmp_path / "passed.age"
        passed.write_bytes(pyrage.encrypt(plain, [x25519.Identity.from_str(str(keys.identity(stranger))).to_public()]))
        with pytest.raises(BundleRefused, match="made for someone else and passed on"):
            import_outcomes_bundle(stranger, passed)
        assert held(boss) == unchanged
        result = import_outcomes_bundle(boss, own, accept_sender=AcceptSender(name="New Colleague"))
        assert result.sender == "New Colleague"
        assert [c.role.value for c in keys.list_contacts(boss) if c.display_name == "New Colleague"] == \
            ["practitioner"]
    finally:
        stranger.close()


def _forge(path, recipient: str, signing_key: bytes, sender: Sender, doc: bytes, kind: str = "outcomes"):
    members_ = [Member.from_bytes("outcomes.json", doc)]
    manifest = make_manifest(kind, "e" * 32, "forged", None, members_, sender, [recipient])
    write_encrypted(path, tar_stream(manifest, members_, signing_key), [recipient])
    return path


def test_invalid_documents_and_other_bundle_kinds_are_refused(world, tmp_path):
    prac, boss = world
    to = str(keys.identity(boss).to_public())
    sender, key = keys.sender(prac), keys.signing_key(prac)
    unchanged = held(boss)
    good = json.loads(json.dumps({"format": "vigstudio-outcomes", "version": 1,
                                  "catalogue": {"name": "x", "version": 1},
                                  "cases": [{"token": "a" * 32, "kind": "vig", "goals": [],
                                             "completions": [{"measure": "PHQ-9", "measure_version": "1",
                                                              "when": "pre", "month": "2026-01", "total": 9,
                                                              "subscales": {}, "band": "mild",
                                                              "caseness": False}]}]}))
    for broken, why in [
        ({"month": "2026-01-13"}, "a day"), ({"total": "9"}, "a text total"), ({"when": "whenever"}, "time point"),
        ({"caseness": "yes"}, "caseness"), ({"band": "two\nlines"}, "a band"), ({"total": 1e300}, "huge"),
    ]:
        doc = json.loads(json.dumps(good))
        doc["cases"][0]["completions"][0].update(broken)
        path = _forge(tmp_path / "bad.age", to, key, sender, json.dumps(doc).encode())
        with pytest.raises(BundleRefused, match="outcomes.json is not valid"):
            import_outcomes_bundle(boss, path)
        assert held(boss) == unchanged, why
    doc = json.loads(json.dumps(good))
    doc["cases"][0]["token"] = "F-014"
    with pytest.raises(BundleRefused, match="not valid"):
        import_outcomes_bundle(boss, _forge(tmp_path / "bad.age", to, key, sender, json.dumps(doc).encode()))
    # a session bundle is not an outcomes bundle, and the other way round
    outcomes_path = export_outcomes_bundle(prac, "Service Lead", tmp_path / "o.age").path
    with pytest.raises(BundleRefused, match="anonymous outcomes bundle: import it with Outcomes"):
        open_bundle(boss, outcomes_path)
    session = _forge(tmp_path / "s.age", to, key, sender, json.dumps(good).encode(), kind="session")
    with pytest.raises(BundleRefused, match="is a session bundle, not an outcomes bundle"):
        import_outcomes_bundle(boss, session)
    assert held(boss) == unchanged


def test_forgetting_a_source_removes_its_data_from_the_report(world, tmp_path):
    prac, boss = world
    import_outcomes_bundle(boss, export_outcomes_bundle(prac, "Service Lead", tmp_path / "o.age").path)
    [source] = sources(boss)
    forget_source(boss, source.id)
    assert sources(boss) == [] and gather(boss).cases == len(LEAD_FAMILIES)
    assert any(e.action == "outcomes_forget" for e in list_events(boss))
    with pytest.raises(NotFound):
        forget_source(boss, source.id)
    # and the same bundle can be imported again afterwards
    assert import_outcomes_bundle(boss, tmp_path / "o.age").cases == 6
    assert len(sources(boss)) == 1 and gather(boss).cases == 10


def test_a_cancelled_export_writes_nothing(world, tmp_path):
    prac, _boss = world
    progress = Progress(None, "outcomes export")
    progress.cancel()
    with pytest.raises(Cancelled):
        export_outcomes_bundle(prac, "Service Lead", tmp_path / "cancelled.age", progress=progress)
    assert list(tmp_path.glob("*cancelled*")) == []
    assert not any(e.action == "outcomes_export" for e in list_events(prac))
