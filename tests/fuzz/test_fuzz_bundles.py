"""Fuzzing bundles: the tar (bytes and members), the signed manifest, session.json and feedback.json.

Every case ends in a clean refusal (a `VigError` with a one-line message) and leaves the library as
it was, or opens (a harmless change to a genuine bundle). Never another exception. The signed cases
are signed by a real contact, so they reach the deepest checks, not just the signature.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pyrage
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bundle.support import (
    CODE,
    introduce,
    library_state,
    practitioner_library,
    supervisor_library,
)
from tests.fuzz.support import DELETE, FUZZ, awkward_text, deeply_nested, json_values, paths_in, replaced
from vigstudio.app import feedback, keys
from vigstudio.app.bundles import export_session_bundle, open_bundle
from vigstudio.app.tree import library_tree
from vigstudio.bundle import BundleRefused, Member, OpenedBundle, parse_tar, tar_stream, write_encrypted
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import new_uid


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    from tests.conftest import PASSPHRASE

    tmp = tmp_path_factory.mktemp("fuzz-bundles")
    practice = practitioner_library(tmp, PASSPHRASE)
    supervisor = supervisor_library(tmp, PASSPHRASE)
    introduce(practice.service, supervisor)
    bundle = tmp / "genuine.age"
    export_session_bundle(practice.service, practice.session_id, bundle, to=["Dr Supervisor"])
    plain = pyrage.decrypt(bundle.read_bytes(), [keys.identity(supervisor)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        members = {info.name: tar.extractfile(info).read() for info in tar}
    yield practice, supervisor, plain, members, tmp
    practice.service.close()
    supervisor.close()


def _state(service):
    """The library's content, its contacts, and every file of its media folder (name, size, mtime: a
    refused import must not have written, renamed or removed any)."""
    files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in (service.path / "media").iterdir())
    return library_state(service), files, keys.list_contacts(service)


def _open_cleanly(service, path, **kwargs):
    """Open the bundle: a one-line refusal with the library unchanged, or a successful import."""
    before = _state(service)
    try:
        open_bundle(service, path, **kwargs)
    except VigError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        assert _state(service) == before
        return err
    return None


def _seal(folder, signer, recipient_service, manifest: dict, members: dict[str, bytes]):
    path = folder / "case.age"
    to = [keys.public_key(recipient_service)]
    parts = [Member.from_bytes(name, data) for name, data in members.items()]
    write_encrypted(path, tar_stream(manifest, parts, keys.signing_key(signer)), to)
    return path


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=6),
       cut=st.one_of(st.none(), st.integers(min_value=0)), insert=st.binary(max_size=600))
def test_fuzz_tar_bytes(pair, flips, cut, insert):
    _practice, _supervisor, plain, _members, _tmp = pair
    data = bytearray(plain)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    if insert:
        at = (flips[0][0] if flips else 0) % len(data)
        data[at:at] = insert
    if cut is not None:
        del data[cut % len(data):]
    try:
        opened = parse_tar(data)
    except BundleRefused as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(opened, OpenedBundle) and opened.sender is not None


entry_types = st.sampled_from([tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE,
                               tarfile.CHRTYPE, tarfile.FIFOTYPE, tarfile.CONTTYPE, b"x"])
names = st.one_of(awkward_text, st.sampled_from(["manifest.json", "manifest.sig", "session.json", "clips/a.mp4",
                                                 "clips/../../x", "./session.json", "a//b", "C:\\x"]))


@FUZZ
@given(entries=st.lists(st.tuples(names, entry_types, st.binary(max_size=64), awkward_text), max_size=6),
       keep=st.integers(min_value=0, max_value=4))
def test_fuzz_tar_members(pair, entries, keep):
    """Hand-made tars: genuine members (the first `keep`) followed by odd entries of every type."""
    _practice, _supervisor, _plain, members, _tmp = pair
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in list(members.items())[:keep]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, kind, data, link in entries:
            info = tarfile.TarInfo(name or "x")
            info.type, info.linkname = kind, link[:90]
            info.size = len(data) if kind in (tarfile.REGTYPE, tarfile.AREGTYPE) else 0
            try:
                tar.addfile(info, io.BytesIO(data) if info.size else None)
            except (ValueError, UnicodeError):
                continue  # tarfile itself cannot write it
    try:
        parse_tar(out.getvalue())
    except BundleRefused as err:
        assert "\n" not in str(err)


def _mutations(document):
    paths = list(paths_in(document))
    return st.tuples(st.sampled_from(paths), st.one_of(json_values, st.just(DELETE)))


@pytest.fixture(scope="module")
def manifest_doc(pair):
    return json.loads(pair[3]["manifest.json"])


@FUZZ
@given(data=st.data())
def test_fuzz_signed_manifest(pair, manifest_doc, data):
    """Any change to the manifest, properly signed by a contact: refused cleanly, or harmless."""
    practice, supervisor, _plain, members, tmp = pair
    path, value = data.draw(_mutations(manifest_doc))
    if not path:
        value = data.draw(st.one_of(json_values, st.just({})))
    manifest = replaced(manifest_doc, path, value if value is not DELETE or path else {})
    if isinstance(manifest, dict) and "uid" in manifest and path != ("uid",):
        manifest["uid"] = new_uid()
    body = {name: data for name, data in members.items() if name not in ("manifest.json", "manifest.sig")}
    sealed = _seal(tmp, practice.service, supervisor, manifest, body)
    _open_cleanly(supervisor, sealed)


@pytest.fixture(scope="module")
def session_doc(pair):
    return json.loads(pair[3]["session.json"])


@FUZZ
@given(data=st.data())
def test_fuzz_session_json(pair, session_doc, data):
    """Any value anywhere in session.json (wrong types, huge numbers, escapes, nesting, missing keys)."""
    practice, supervisor, _plain, members, tmp = pair
    path, value = data.draw(_mutations(session_doc))
    doc = replaced(session_doc, path, value) if path else value
    if isinstance(doc, dict) and isinstance(doc.get("session"), dict) and path[:2] != ("session", "uid"):
        doc["session"]["uid"] = new_uid()  # a new session each time, so a harmless change may open
    body = {name: data for name, data in members.items() if name not in ("manifest.json", "manifest.sig")}
    body["session.json"] = json.dumps(doc).encode() if doc is not DELETE else b"{}"
    manifest = json.loads(members["manifest.json"])
    manifest["uid"] = new_uid()
    manifest["members"] = {name: {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
                           for name, blob in body.items()}
    _open_cleanly(supervisor, _seal(tmp, practice.service, supervisor, manifest, body))


def test_deeply_nested_and_non_json_documents(pair):
    practice, supervisor, _plain, members, tmp = pair
    manifest = json.loads(members["manifest.json"])
    for blob in (deeply_nested().encode(), b"\xff\xfe", b"[]", b"1e999999", b'{"case": ' * 5000):
        body = {name: data for name, data in members.items() if name not in ("manifest.json", "manifest.sig")}
        body["session.json"] = blob
        manifest["uid"] = new_uid()
        manifest["members"] = {name: {"size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                               for name, b in body.items()}
        err = _open_cleanly(supervisor, _seal(tmp, practice.service, supervisor, manifest, body))
        assert isinstance(err, BundleRefused)


@pytest.fixture(scope="module")
def feedback_case(pair):
    """The session opened by the supervisor, a comment written there, and its feedback document."""
    practice, supervisor, _plain, _members, tmp = pair
    cases = [n for n in library_tree(supervisor) if n.case.code == CODE]
    if cases:  # a harmless change to the genuine bundle opened it already in an earlier test
        session_id = cases[0].sessions()[0][2].session.id
    else:
        session_id = open_bundle(supervisor, tmp / "genuine.age").session_id
    feedback.add_comment(supervisor, session_id, "warm and attuned", principle="P1")
    back = tmp / "back.age"
    feedback.export_feedback_bundle(supervisor, CODE, back, to=["HV Practitioner"])
    plain = pyrage.decrypt(back.read_bytes(), [keys.identity(practice.service)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        doc = json.loads(tar.extractfile("feedback.json").read())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    return doc, manifest


@FUZZ
@given(data=st.data())
def test_fuzz_feedback_json(pair, feedback_case, data):
    practice, supervisor, _plain, _members, tmp = pair
    doc_in, manifest = feedback_case
    path, value = data.draw(_mutations(doc_in))
    doc = replaced(doc_in, path, value) if path else value
    blob = json.dumps(doc).encode() if doc is not DELETE else b"{}"
    manifest = dict(manifest, uid=new_uid(),
                    members={"feedback.json": {"size": len(blob),
                                               "sha256": hashlib.sha256(blob).hexdigest()}})
    _open_cleanly(practice.service, _seal(tmp, supervisor, practice.service, manifest, {"feedback.json": blob}))
