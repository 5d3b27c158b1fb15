"""Every broken bundle is refused with one clear message and leaves the library exactly as it was."""

from __future__ import annotations

import json
import random

import pytest

from tests.bundle.support import (
    CODE,
    folder_snapshot,
    introduce,
    library_state,
    practitioner_library,
    supervisor_library,
)
from vigstudio.app import bundles, consent, keys
from vigstudio.app.bundles import export_session_bundle, open_bundle
from vigstudio.bundle import BundleRefused, Member, make_manifest, tar_stream, write_encrypted
from vigstudio.domain.errors import ConsentMissing, VigError
from vigstudio.media.errors import MediaError


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from tests.conftest import PASSPHRASE

    tmp = tmp_path_factory.mktemp("refusals")
    practice = practitioner_library(tmp, PASSPHRASE, with_review=True)
    supervisor = supervisor_library(tmp, PASSPHRASE)
    introduce(practice.service, supervisor)
    bundle = tmp / "good.age"
    export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)],
                          with_review_recording=True)
    yield practice, supervisor, bundle
    practice.service.close()
    supervisor.close()


def _unchanged(service):
    state, files = library_state(service), folder_snapshot(service.path / "media")
    return lambda: (library_state(service), folder_snapshot(service.path / "media")) == (state, files)


def _refused(service, path, match=None):
    with pytest.raises(BundleRefused) as info:
        open_bundle(service, path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    if match:
        assert match in message, message
    return message


def test_flipped_bytes_and_truncations_are_refused(made, tmp_path):
    _practice, supervisor, bundle = made
    data = bundle.read_bytes()
    assert len(data) > 64 * 1024 + 1024  # more than one age chunk, so a cut on a chunk boundary is tried
    unchanged = _unchanged(supervisor)
    rng = random.Random(7)
    positions = [0, 30, len(data) // 2, len(data) - 1] + rng.sample(range(len(data)), 12)
    for n, position in enumerate(positions):
        broken = bytearray(data)
        broken[position] ^= 1 << rng.randrange(8)
        path = tmp_path / f"flip{n}.age"
        path.write_bytes(bytes(broken))
        _refused(supervisor, path)
    header = data.index(b"\n---") + 4 + 44  # "---" line: space, 43-character MAC, newline; then the nonce
    header = data.index(b"\n", header - 44) + 1 + 16
    chunk = 64 * 1024 + 16  # every age payload chunk is 64 KiB of plaintext plus its 16-byte tag
    sizes = [0, 10, 100, header, header + chunk, header + 2 * chunk, header + chunk + 1, len(data) // 2,
             len(data) - 17, len(data) - 1]
    for n, size in enumerate(s for s in sizes if s < len(data)):
        path = tmp_path / f"cut{n}.age"
        path.write_bytes(data[:size])
        _refused(supervisor, path)
    assert unchanged()
    assert open_bundle(supervisor, bundle).clips == 2  # the intact one still opens...
    with pytest.raises(BundleRefused, match="already opened"):  # ...once
        open_bundle(supervisor, bundle)


def test_wrong_key(made, tmp_path, passphrase):
    _practice, _supervisor, bundle = made
    stranger = supervisor_library(tmp_path, passphrase)
    try:
        unchanged = _unchanged(stranger)
        _refused(stranger, bundle, "cannot be opened with this library's key")
        assert unchanged()
    finally:
        stranger.close()


def _members(session_doc: dict, clip_bytes: bytes) -> list[Member]:
    members = [Member.from_bytes("session.json", json.dumps(session_doc).encode())]
    members.append(Member.from_bytes(f"clips/{session_doc['clips'][0]['uid']}.mp4", clip_bytes))
    return members


def _doc() -> dict:
    return {"case": {"code": "X-1"}, "cycle": {"number": 1, "helping_question": ""},
            "session": {"uid": "a" * 32, "kind": "filming", "date": "2026-11-01", "notes": ""},
            "recordings": [], "stills": [], "markers": [], "review": [],
            "clips": [{"uid": "b" * 32, "recording": 1, "start_frame": 0, "end_frame": 5, "fps": 25.0,
                       "title": "", "position": 0, "member": f"clips/{'b' * 32}.mp4", "annotations": []}]}


def _crafted(tmp_path, signer, supervisor, manifest_members, members, **manifest_changes):
    """A bundle made by hand, signed by the `signer` library (a contact of the supervisor)."""
    to = [keys.public_key(supervisor)]
    manifest = make_manifest("session", "c" * 32, "test", "supervision", manifest_members, keys.sender(signer), to)
    manifest.update(manifest_changes)
    path = tmp_path / "crafted.age"
    write_encrypted(path, tar_stream(manifest, members, keys.signing_key(signer)), to)
    return path


def test_member_hash_mismatch(made, tmp_path):
    practice, supervisor, _bundle = made
    members = _members(_doc(), b"not really a video")
    lying = [members[0], Member.from_bytes(members[1].name, b"something else entirely!")]
    unchanged = _unchanged(supervisor)
    _refused(supervisor, _crafted(tmp_path, practice.service, supervisor, lying, members), "does not match its manifest")
    assert unchanged()


def test_unknown_version_and_format(made, tmp_path):
    practice, supervisor, _bundle = made
    members = _members(_doc(), b"x")
    _refused(supervisor, _crafted(tmp_path, practice.service, supervisor, members, members, version=3),
             "version 3 is not supported")
    _refused(supervisor, _crafted(tmp_path, practice.service, supervisor, members, members, version=1),
             "did not sign bundles")
    _refused(supervisor, _crafted(tmp_path, practice.service, supervisor, members, members, format="zip"),
             "unknown format")


def test_a_clip_that_is_not_a_video_leaves_nothing_behind(made, tmp_path):
    practice, supervisor, _bundle = made
    members = _members(_doc(), b"\x00" * 5000)
    unchanged = _unchanged(supervisor)
    with pytest.raises(VigError) as info:
        open_bundle(supervisor, _crafted(tmp_path, practice.service, supervisor, members, members))
    assert isinstance(info.value, (MediaError, BundleRefused))
    assert unchanged()


def test_bundle_without_supervision_consent_is_refused(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_consent=False)
    try:
        out = tmp_path / "x.age"
        with pytest.raises(ConsentMissing, match="'supervision' consent"):
            export_session_bundle(practice.service, practice.session_id, out, passphrase="long enough phrase")
        consent.add(practice.service, CODE, ["supervision"], recorded_by="me")
        consent.withdraw(practice.service, CODE, "supervision")
        with pytest.raises(ConsentMissing):
            export_session_bundle(practice.service, practice.session_id, out, passphrase="long enough phrase")
        assert not out.exists() and list(tmp_path.glob(".*partial")) == []
    finally:
        practice.service.close()


def test_recipients_and_passphrase_together_are_refused(made, tmp_path):
    practice, supervisor, _bundle = made
    with pytest.raises(VigError, match="not both"):
        export_session_bundle(practice.service, practice.session_id, tmp_path / "x.age",
                              [keys.public_key(supervisor)], passphrase="long enough phrase")
    with pytest.raises(VigError, match="not an age public key"):
        export_session_bundle(practice.service, practice.session_id, tmp_path / "x.age", ["age1nope"])


def test_opening_a_bundle_in_the_library_it_came_from_is_refused(made, tmp_path):
    practice, _supervisor, _bundle = made
    out = tmp_path / "self.age"
    export_session_bundle(practice.service, practice.session_id, out, [keys.public_key(practice.service)])
    unchanged = _unchanged(practice.service)
    _refused(practice.service, out, "made from this library")
    assert unchanged()
    assert not bundles.is_read_only(practice.service, practice.clip_ids[0])
