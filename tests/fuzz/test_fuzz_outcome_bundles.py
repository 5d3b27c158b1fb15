"""Fuzzing outcomes.json: any value anywhere, properly signed by a known practitioner. Every case ends
in a one-line refusal with the lead's library unchanged, or imports (a harmless change)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.app.outcome_bundle_support import introduce, lead, members, plaintext, practitioner
from tests.fuzz.support import DELETE, FUZZ, deeply_nested, json_values, paths_in, replaced
from vigstudio.app import keys
from vigstudio.app.outcome_bundles import export_outcomes_bundle, import_outcomes_bundle
from vigstudio.bundle import BundleRefused, Member, make_manifest, tar_stream, write_encrypted
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import new_uid


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    from tests.conftest import PASSPHRASE

    tmp = tmp_path_factory.mktemp("fuzz-outcomes")
    prac, boss = practitioner(tmp, PASSPHRASE), lead(tmp, PASSPHRASE)
    introduce(prac, boss)
    bundle = export_outcomes_bundle(prac, "Service Lead", tmp / "genuine.age").path
    doc = json.loads(members(plaintext(bundle, boss))["outcomes.json"])
    yield prac, boss, doc, tmp
    prac.close()
    boss.close()


def _state(service):
    with service.read() as repos:
        return ([(s.id, s.bundle_uid, s.cases, s.completions) for s in repos.outcome_sources.list()],
                [(c.token, c.measure, c.when, c.month, c.total, c.subscales, c.band, c.caseness)
                 for c in repos.outcome_sources.completions()],
                [(g.token, g.start_score, g.end_score) for g in repos.outcome_sources.goals()],
                keys.list_contacts(service))


def _import_cleanly(prac, boss, tmp, blob: bytes):
    to = keys.public_key(boss)
    parts = [Member.from_bytes("outcomes.json", blob)]
    manifest = make_manifest("outcomes", new_uid(), "fuzz", None, parts, keys.sender(prac), [to])
    path = write_encrypted(tmp / "fuzzed.age", tar_stream(manifest, parts, keys.signing_key(prac)), [to])
    before = _state(boss)
    try:
        import_outcomes_bundle(boss, path)
    except VigError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        assert _state(boss) == before
        return err
    return None


@FUZZ
@given(data=st.data())
def test_fuzz_outcomes_json(pair, data):
    prac, boss, doc, tmp = pair
    path, value = data.draw(st.tuples(st.sampled_from(list(paths_in(doc))), st.one_of(json_values, st.just(DELETE))))
    changed = replaced(doc, path, value) if path else value
    blob = json.dumps(changed).encode() if changed is not DELETE else b"{}"
    _import_cleanly(prac, boss, tmp, blob)


def test_deeply_nested_and_non_json_documents(pair):
    prac, boss, _doc, tmp = pair
    for blob in (deeply_nested().encode(), b"\xff\xfe", b"[]", b"1e999999", b'{"cases": ' * 5000, b"NaN"):
        assert isinstance(_import_cleanly(prac, boss, tmp, blob), BundleRefused)
