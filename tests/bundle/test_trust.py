"""Who sent a bundle: forged, tampered and passed-on bundles are refused; unknown senders are shown by
fingerprint and imported only when accepted; a legacy (age-key-only) contact is pinned on first accept."""

from __future__ import annotations

import io
import json
import tarfile

import pyrage
import pytest
from pyrage import x25519

from tests.bundle.support import (
    CODE,
    folder_snapshot,
    introduce,
    library_state,
    practitioner_library,
    supervisor_library,
)
from vigstudio.app import feedback, keys
from vigstudio.app.bundles import export_session_bundle, open_bundle, sent_to
from vigstudio.app.cases import add_session, find_case, find_session
from vigstudio.app.senders import AcceptSender, UnknownSender
from vigstudio.app.tree import library_tree
from vigstudio.bundle import BundleRefused, Member, Sender, make_manifest, tar_stream, write_encrypted
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import ConsentScope


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A practitioner and a supervisor who exchanged cards, the session sent to the supervisor and
    opened there, and a third library (the forger) that knows everyone's public keys."""
    from tests.conftest import PASSPHRASE

    tmp = tmp_path_factory.mktemp("trust")
    practice = practitioner_library(tmp, PASSPHRASE)
    supervisor = supervisor_library(tmp, PASSPHRASE)
    (tmp / "forger").mkdir()
    forger = supervisor_library(tmp / "forger", PASSPHRASE)
    introduce(practice.service, supervisor)
    bundle = tmp / "genuine.age"
    export_session_bundle(practice.service, practice.session_id, bundle, to=["Dr Supervisor"])
    yield practice, supervisor, forger, bundle
    for service in (practice.service, supervisor, forger):
        service.close()


def _unchanged(service):
    state, files = library_state(service), folder_snapshot(service.path / "media")
    contacts = keys.list_contacts(service)
    return lambda: (library_state(service), folder_snapshot(service.path / "media"),
                    keys.list_contacts(service)) == (state, files, contacts)


def _session_doc(code: str = "X-1", title: str = "", session_uid: str = "a" * 32) -> dict:
    return {"case": {"code": code}, "cycle": {"number": 1, "helping_question": ""},
            "session": {"uid": session_uid, "kind": "filming", "date": "2026-11-01", "notes": ""},
            "recordings": [], "stills": [], "markers": [], "review": [],
            "clips": [{"uid": "b" * 32, "recording": 1, "start_frame": 0, "end_frame": 5, "fps": 25.0,
                       "title": title, "position": 0, "member": f"clips/{'b' * 32}.mp4", "annotations": []}]}


def forge(path, recipient: str, signing_key: bytes, sender: Sender, kind: str = "session", doc: dict | None = None,
          doc_name: str = "session.json"):
    """A bundle made by hand with nothing but the recipient's public key and some signing key."""
    members = [Member.from_bytes(doc_name, json.dumps(doc or _session_doc()).encode())]
    if kind == "session":
        members.append(Member.from_bytes(f"clips/{'b' * 32}.mp4", b"not a video"))
    manifest = make_manifest(kind, "f" * 32, "forged", "supervision", members, sender, [recipient])
    write_encrypted(path, tar_stream(manifest, members, signing_key), [recipient])
    return path


def test_a_forged_session_bundle_is_refused(world, tmp_path):
    practice, supervisor, forger, _bundle = world
    unchanged = _unchanged(supervisor)
    to = keys.public_key(supervisor)
    # posing as the practitioner (their name and age key), signed with the forger's own key
    posing = Sender(keys.public_key(practice.service), keys.signing_public_key(forger), "HV Practitioner")
    path = forge(tmp_path / "posing.age", to, keys.signing_key(forger), posing)
    with pytest.raises(BundleRefused, match="signed with another key .* may be forged") as info:
        open_bundle(supervisor, path)
    assert "\n" not in str(info.value)
    with pytest.raises(BundleRefused, match="may be forged"):  # accepting does not override a known contact
        open_bundle(supervisor, path, accept_sender=AcceptSender())
    # as itself: an unknown sender, shown by fingerprint, nothing imported
    itself = forge(tmp_path / "itself.age", to, keys.signing_key(forger), keys.sender(forger))
    with pytest.raises(UnknownSender) as unknown:
        open_bundle(supervisor, itself)
    assert unknown.value.fingerprint == keys.own_fingerprint(forger) in str(unknown.value)
    # claiming the practitioner's signing key without having its private half: the signature fails
    claimed = Sender(keys.public_key(practice.service), keys.signing_public_key(practice.service), "HV")
    with pytest.raises(BundleRefused, match="signature does not match"):
        open_bundle(supervisor, forge(tmp_path / "claimed.age", to, keys.signing_key(forger), claimed))
    assert unchanged()
    with supervisor.read() as repos:  # no supervision consent "from the bundle" for a forged one
        assert all(c.scope != ConsentScope.SUPERVISION or "forged" not in c.recorded_by
                   for c in repos.consents.list())


def test_the_genuine_bundle_opens_and_records_its_sender(world):
    practice, supervisor, _forger, bundle = world
    opened = open_bundle(supervisor, bundle)
    assert opened.clips == 2 and opened.sender == "HV Practitioner"
    case = find_case(supervisor, CODE)
    with supervisor.read() as repos:
        [given] = [c for c in repos.consents.of_case(case.id) if c.scope == ConsentScope.SUPERVISION]
    assert given.recorded_by.endswith("from HV Practitioner")
    sent = [(s.recipient, s.contact_id) for s in sent_to(practice.service, practice.session_id)]
    [supervisor_contact] = keys.list_contacts(practice.service)
    assert sent == [(keys.public_key(supervisor), supervisor_contact.id)]


def test_a_tampered_manifest_is_refused(world, tmp_path):
    _practice, supervisor, _forger, bundle = world
    identity = keys.identity(supervisor)
    plain = pyrage.decrypt(bundle.read_bytes(), [identity])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        entries = [(info, tar.extractfile(info).read()) for info in tar]
    manifest = json.loads(entries[0][1])
    manifest["created_at"] = "2020-01-01T00:00:00+00:00"  # any change at all to the signed manifest
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in entries:
            if info.name == "manifest.json":
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path = tmp_path / "tampered.age"
    path.write_bytes(pyrage.encrypt(out.getvalue(), [identity.to_public()]))
    unchanged = _unchanged(supervisor)
    with pytest.raises(BundleRefused, match="signature does not match its contents"):
        open_bundle(supervisor, path)
    # and a bundle passed on by a recipient (re-encrypted as it is) to someone it was not made for
    third = x25519.Identity.generate()
    passed = tmp_path / "passed.age"
    passed.write_bytes(pyrage.encrypt(plain, [third.to_public()]))
    keyfile = tmp_path / "third.key"
    keyfile.write_text(f"{third}\n")
    with pytest.raises(BundleRefused, match="made for someone else and passed on"):
        open_bundle(supervisor, passed, identity_file=keyfile)
    assert unchanged()


def test_a_forged_feedback_bundle_is_refused(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    supervisor = supervisor_library(tmp_path, passphrase)
    (tmp_path / "other").mkdir()
    other = supervisor_library(tmp_path / "other", passphrase)
    try:
        introduce(practice.service, supervisor)
        keys.add_contact(practice.service, "Dr Other", keys.contact_card(other), "supervisor")
        bundle = tmp_path / "s.age"
        export_session_bundle(practice.service, practice.session_id, bundle, to=["Dr Supervisor"])
        session_uid = find_session(practice.service, practice.session_id).uid
        comment = {"comments": [{"uid": "c" * 32, "session_uid": session_uid, "clip_uid": None, "review_sha256": None,
                                 "frame": None, "text": "forged praise", "author": "Dr Supervisor",
                                 "created_at": "2026-11-02T10:00:00+00:00", "principle": None, "behaviour": None}]}
        to = keys.public_key(practice.service)
        unchanged = _unchanged(practice.service)
        # another supervisor, a known contact, but the session was not sent to them
        path = forge(tmp_path / "f1.age", to, keys.signing_key(other), keys.sender(other), "feedback", comment,
                     "feedback.json")
        with pytest.raises(BundleRefused, match="was not sent to them"):
            open_bundle(practice.service, path)
        # a stranger with only the practitioner's public key: unknown, and not accepted even when accepted
        (tmp_path / "stranger").mkdir()
        stranger = supervisor_library(tmp_path / "stranger", passphrase)
        try:
            path = forge(tmp_path / "f2.age", to, keys.signing_key(stranger), keys.sender(stranger), "feedback",
                         comment, "feedback.json")
            with pytest.raises(UnknownSender):
                open_bundle(practice.service, path)
            with pytest.raises(BundleRefused, match="was not sent to them"):
                open_bundle(practice.service, path, accept_sender=AcceptSender())
            # posing as the supervisor the session was sent to (their name and age key), with its own key
            posing = Sender(keys.public_key(supervisor), keys.signing_public_key(stranger), "Dr Supervisor")
            path = forge(tmp_path / "f3.age", to, keys.signing_key(stranger), posing, "feedback", comment,
                         "feedback.json")
            with pytest.raises(BundleRefused, match="may be forged"):
                open_bundle(practice.service, path, accept_sender=AcceptSender())
        finally:
            stranger.close()
        assert unchanged()
        assert feedback.comments(practice.service, practice.session_id) == []
        # the real supervisor's feedback is accepted
        open_bundle(supervisor, bundle)
        sup_session = next(n for n in library_tree(supervisor) if n.case.code == CODE).sessions()[0][2].session.id
        feedback.add_comment(supervisor, sup_session, "warm and attuned")
        back = tmp_path / "back.age"
        feedback.export_feedback_bundle(supervisor, CODE, back, to=["HV Practitioner"])
        result = open_bundle(practice.service, back)
        assert result.comments_added == 1 and result.sender == "Dr Supervisor"
    finally:
        for service in (practice.service, supervisor, other):
            service.close()


def test_a_legacy_contact_is_pinned_on_the_first_accepted_bundle(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase)
    supervisor = supervisor_library(tmp_path, passphrase)
    (tmp_path / "forger").mkdir()
    forger = supervisor_library(tmp_path / "forger", passphrase)
    try:
        # the supervisor knows the practitioner by the bare age1 key only (as before signed bundles)
        legacy = keys.add_contact(supervisor, "HV Jones", keys.public_key(practice.service), "practitioner")
        assert legacy.signing_key is None and keys.contact_fingerprint(legacy) is None
        keys.add_contact(practice.service, "Dr S", keys.contact_card(supervisor))
        first, second = tmp_path / "1.age", tmp_path / "2.age"
        export_session_bundle(practice.service, practice.session_id, first, to=["Dr S"])
        unchanged = _unchanged(supervisor)
        with pytest.raises(UnknownSender) as info:
            open_bundle(supervisor, first)
        assert info.value.legacy.id == legacy.id and "HV Jones" in str(info.value)
        assert info.value.fingerprint == keys.own_fingerprint(practice.service) in str(info.value)
        with pytest.raises(UnknownSender):  # a fingerprint that is not the one shown: still refused
            open_bundle(supervisor, first, accept_sender=AcceptSender(fingerprint="12345 " * 8))
        assert unchanged()
        assert open_bundle(supervisor, first, accept_sender=AcceptSender(fingerprint=info.value.fingerprint)).clips == 2
        [pinned] = keys.list_contacts(supervisor)
        assert pinned.id == legacy.id and keys.contact_fingerprint(pinned) == keys.own_fingerprint(practice.service)
        # from now on the pinned key is required: a bundle posing as HV Jones is refused
        posing = Sender(keys.public_key(practice.service), keys.signing_public_key(forger), "HV Jones")
        with pytest.raises(BundleRefused, match="may be forged"):
            open_bundle(supervisor, forge(tmp_path / "p.age", keys.public_key(supervisor), keys.signing_key(forger),
                                          posing))
        # and the practitioner's next bundle (another session) opens without asking
        from vigstudio.app import editing

        review = add_session(practice.service, CODE)
        from tests.videos import make_video
        from vigstudio.app.importing import import_recording

        recording = import_recording(practice.service, CODE, make_video(tmp_path / "v2.mp4", frames=20),
                                     session_id=review.id)
        editing.add_clip(practice.service, recording.id, 2, 9, "second visit")
        export_session_bundle(practice.service, review.id, second, to=["Dr S"])
        assert open_bundle(supervisor, second).sender == "HV Jones"
    finally:
        for service in (practice.service, supervisor, forger):
            service.close()


def test_bundle_text_is_normalised_like_typed_text(world, tmp_path):
    practice, supervisor, _forger, _bundle = world
    to, key, sender = keys.public_key(supervisor), keys.signing_key(practice.service), keys.sender(practice.service)
    unchanged = _unchanged(supervisor)
    for n, (doc, why) in enumerate([
            (_session_doc(code="X\x1b[31m-1"), "control characters"),
            (_session_doc(code="X-1\nY"), "line breaks"),
            (_session_doc(code="X" * 10_000), "at most 64 characters"),
            (_session_doc(title="red \x1b[31m title"), "control characters"),
            (_session_doc(title="two\nlines"), "single line"),
            (_session_doc(title="\u202egnp.exe"), "control characters")]):
        with pytest.raises(BundleRefused, match=why) as info:
            open_bundle(supervisor, forge(tmp_path / f"t{n}.age", to, key, sender, doc=doc))
        assert "\n" not in str(info.value) and "\x1b" not in str(info.value)
    assert unchanged()


def test_bundle_passphrases_follow_the_library_rule(world, tmp_path):
    practice, _supervisor, _forger, _bundle = world
    out = tmp_path / "p.age"
    for weak, why in (("a", "too short"), ("short one", "too short"), ("password123", "guessing programs"),
                      ("Qwertyuiop!", "guessing programs"), ("aaaaaaaaaaaa", "guessing programs")):
        with pytest.raises(VigError, match=why):
            export_session_bundle(practice.service, practice.session_id, out, passphrase=weak, to=["Dr Supervisor"])
    assert not out.exists()


def test_a_sender_name_with_escapes_is_not_shown(world, tmp_path):
    _practice, supervisor, forger, _bundle = world
    named = Sender(keys.public_key(forger), keys.signing_public_key(forger), "Dr \x1b[2J\x1b[31mEvil\nline")
    path = forge(tmp_path / "named.age", keys.public_key(supervisor), keys.signing_key(forger), named)
    with pytest.raises(UnknownSender) as info:
        open_bundle(supervisor, path)
    assert "\x1b" not in str(info.value) and "\n" not in str(info.value) and "Evil" not in str(info.value)
    assert info.value.suggested_name.startswith("contact ")
