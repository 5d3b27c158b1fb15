"""Practitioner → supervisor → practitioner with two real libraries, and the `age` CLI reading a bundle."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile

import pytest

from tests.bundle.support import CODE, introduce, library_state, practitioner_library, supervisor_library
from tests.videos import read_frame_number
from vigstudio.app import bundles, feedback, keys
from vigstudio.app.bundles import export_session_bundle, open_bundle
from vigstudio.app.cases import find_session
from vigstudio.app.recordings import open_recording_media, recording_asset
from vigstudio.app.senders import AcceptSender, UnknownSender
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import CaseOrigin


@pytest.fixture
def pair(tmp_path, passphrase):
    practice = practitioner_library(tmp_path, passphrase, with_review=True)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    yield practice, supervisor
    practice.service.close()
    supervisor.close()


def test_round_trip_practitioner_supervisor_practitioner(pair, tmp_path):
    practice, supervisor = pair
    out = tmp_path / "out" / "F-014.age"
    out.parent.mkdir()
    made = export_session_bundle(practice.service, practice.session_id, out, [keys.public_key(supervisor)],
                                 with_review_recording=True)
    assert made.clips == 2 and made.stills == 1 and made.review_recordings == 1
    assert sorted(p.name for p in out.parent.iterdir()) == ["F-014.age"]  # no partial file left

    opened = open_bundle(supervisor, out)
    assert (opened.case_code, opened.clips, opened.review_recordings) == (CODE, 2, 1)
    case_node = next(n for n in library_tree(supervisor) if n.case.code == CODE)
    assert case_node.case.origin == CaseOrigin.SUPERVISION and case_node.case.name is None
    _i, cycle, node = case_node.sessions()[0]
    assert node.session.source_uid == find_session(practice.service, practice.session_id).uid
    clips = sorted(node.clips, key=lambda c: c.position)
    original = {c.uid: c for c in library_tree(practice.service)[0].sessions()[0][2].clips}
    assert [c.uid for c in clips] == sorted(original, key=lambda u: original[u].position)
    for clip in clips:
        source = original[clip.uid]
        assert clip.frame_count == source.frame_count
        assert bundles.is_read_only(supervisor, clip.id)
        with open_recording_media(supervisor, clip.recording_id) as media:
            numbers = [read_frame_number(rgb) for _k, rgb in media.iter_frames()]
        assert numbers == list(range(source.start_frame, source.end_frame))
    # the still (frame 40) sits in the second clip (33–45) at frame 7; the annotation frame 8 → 3
    assert [(s.frame, s.caption) for s in node.stills] == [(7, "a shared smile")]
    assert recording_asset(supervisor, node.stills[0].recording_id, f"still:{node.stills[0].id}")[:4] == b"\x89PNG"
    with supervisor.read() as repos:
        annotations = repos.annotations.of_clip(clips[0].id)
    assert [(a.principle, a.frame) for a in annotations] == [("P1", 3)]
    review = [r for r in node.recordings if r.file_name.startswith("shared review")]
    assert len(review) == 1 and review[0].frame_count == 30

    # supervisor comments on a clip frame and on the review recording, then sends feedback
    feedback.add_comment(supervisor, node.session.id, "lovely waiting here", clip_id=clips[0].id, frame=4,
                         principle="p2")
    feedback.add_comment(supervisor, node.session.id, "you named it well", recording_id=review[0].id, frame=10)
    back = tmp_path / "feedback.age"
    sent = feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
    assert sent.comments == 2

    result = open_bundle(practice.service, back)
    assert (result.comments_added, result.comments_skipped) == (2, 0)
    comments = feedback.comments(practice.service, practice.session_id)
    on_clip = next(c for c in comments if c.clip_id is not None)
    assert on_clip.clip_id == practice.clip_ids[0] and on_clip.frame == 5 + 4 and on_clip.principle == "P2"
    on_review = next(c for c in comments if c.clip_id is None)
    assert on_review.frame == 10 and on_review.recording_id is not None

    # the same feedback again: refused, nothing changed
    before = library_state(practice.service)
    with pytest.raises(bundles.BundleRefused, match="already opened"):
        open_bundle(practice.service, back)
    assert library_state(practice.service) == before


def test_age_cli_decrypts_a_bundle(pair, tmp_path):
    age = shutil.which("age")
    if age is None:
        pytest.skip("the age command-line tool is not installed (scripts/setup installs it)")
    practice, _supervisor = pair
    keyfile = tmp_path / "supervisor.key"
    identity = keys.identity(_supervisor)
    keyfile.write_text(f"# test key\n{identity}\n")
    out = tmp_path / "F-014.age"
    export_session_bundle(practice.service, practice.session_id, out, [str(identity.to_public())])
    plain = subprocess.run([age, "-d", "-i", str(keyfile), str(out)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        import json

        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "manifest.json" and "session.json" in names
    assert b"Family Name Never Shared" not in plain and b"filming.mp4" not in plain  # code only, no names
    assert manifest["format"] == "vigstudio-bundle" and manifest["version"] == 2
    assert names[1] == "manifest.sig" and manifest["sender"]["signing_key"]
    assert manifest["kind"] == "session" and manifest["consent_scope"] == "supervision"
    assert set(manifest["members"]) == set(names[2:])
    assert all(len(m["sha256"]) == 64 and m["size"] > 0 for m in manifest["members"].values())


@pytest.mark.slow  # age's scrypt is deliberately slow (about 2 s per passphrase operation here)
def test_identity_file_and_passphrase_bundles(pair, tmp_path, passphrase):
    practice, supervisor = pair
    from pyrage import x25519

    other = x25519.Identity.generate()
    keyfile = tmp_path / "other.key"
    keyfile.write_text(f"{other}\n")
    out = tmp_path / "b.age"
    export_session_bundle(practice.service, practice.session_id, out, [str(other.to_public())])
    with pytest.raises(bundles.BundleRefused, match="cannot be opened with this library's key"):
        open_bundle(supervisor, out)
    assert open_bundle(supervisor, out, identity_file=keyfile).clips == 2

    protected = tmp_path / "p.age"
    with pytest.raises(VigError, match="--to NAME"):
        export_session_bundle(practice.service, practice.session_id, protected, passphrase="a long bundle phrase")
    export_session_bundle(practice.service, practice.session_id, protected, passphrase="a long bundle phrase",
                          to=["Dr Supervisor"])
    (tmp_path / "third").mkdir()
    third = supervisor_library(tmp_path / "third", passphrase)
    try:
        with pytest.raises(bundles.BundleRefused, match="protected by a passphrase"):
            open_bundle(third, protected)
        with pytest.raises(bundles.BundleRefused, match="wrong passphrase"):
            open_bundle(third, protected, passphrase="not the phrase")
        with pytest.raises(UnknownSender):  # the third library does not know the practitioner
            open_bundle(third, protected, passphrase="a long bundle phrase")
        assert open_bundle(third, protected, passphrase="a long bundle phrase", accept_sender=AcceptSender()).clips == 2
    finally:
        third.close()
