"""The supervisor rates the guider, the practitioner assesses themself: through real signed bundles.

Trainee: self-assessment tags on their shared-review recording → supervision bundle → the supervisor
sees them (read-only) and adds comments that rate the guider → feedback bundle → the trainee's review
recording carries the ratings at their exact frames, apart from ordinary comments.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pyrage
import pytest
from sqlalchemy import inspect, text

from tests.bundle.support import CODE, open_in_supervisor
from vigstudio.app import feedback, guider, keys
from vigstudio.app.bundles import open_bundle
from vigstudio.app.library import LibraryService
from vigstudio.app.tree import library_tree
from vigstudio.bundle import Member, tar_stream, write_encrypted
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import new_uid
from vigstudio.store import Library
from vigstudio.store.migrate import current_revision, downgrade, head_revision


def _review_recording(service: LibraryService, session_id: int) -> int:
    with service.read() as repos:
        [recording] = repos.recordings.of_session(session_id)
        return recording.saved_id


@pytest.fixture
def trainee_and_supervisor(tmp_path, passphrase):
    from tests.bundle.support import introduce, practitioner_library, supervisor_library

    practice = practitioner_library(tmp_path, passphrase, with_review=True)
    review_id = _review_recording(practice.service, practice.review_session_id)
    supervisor = supervisor_library(tmp_path, passphrase)
    introduce(practice.service, supervisor)
    yield practice, review_id, supervisor
    practice.service.close()
    supervisor.close()


def _send(practice, supervisor, tmp_path):
    from vigstudio.app.bundles import export_session_bundle

    bundle = tmp_path / "session.age"
    export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)],
                          with_review_recording=True)
    opened = open_bundle(supervisor, bundle)
    node = next(n for n in library_tree(supervisor) if n.case.code == CODE).sessions()[0][2]
    [review] = [r for r in node.recordings if r.file_name.startswith("shared review")]
    return opened, node, review


def test_self_assessment_and_guider_ratings_round_trip(trainee_and_supervisor, tmp_path):
    practice, review_id, supervisor = trainee_and_supervisor
    # the trainee tags their own shared review; only a shared-review recording takes such tags
    mine = guider.add_self_assessment(practice.service, review_id, 12, "p3", "I named what she said")
    guider.add_self_assessment(practice.service, review_id, 25, "P5", "I waited for her to lead")
    with pytest.raises(InvalidInput, match="not a shared-review recording"):
        guider.add_self_assessment(practice.service, practice.recording_id, 3, "P1")
    with pytest.raises(InvalidInput, match="outside recording"):
        guider.add_self_assessment(practice.service, review_id, 30, "P1")
    with pytest.raises(InvalidInput, match="unknown principle"):
        guider.add_self_assessment(practice.service, review_id, 3, "P9")
    own = guider.guider_moments(practice.service, review_id)
    assert [(s.frame, s.principle, s.text) for s in own.self_assessment] == [
        (12, "P3", "I named what she said"), (25, "P5", "I waited for her to lead")]
    assert own.self_assessment_editable and own.ratings == []

    # ... travels in the supervision bundle: the supervisor sees it on the review recording, read-only
    _opened, node, review = _send(practice, supervisor, tmp_path)
    seen = guider.guider_moments(supervisor, review.id)
    assert [(s.frame, s.principle, s.text) for s in seen.self_assessment] == [
        (12, "P3", "I named what she said"), (25, "P5", "I waited for her to lead")]
    assert seen.self_assessment[0].uid == mine.uid and seen.self_assessment[0].recording_id == review.id
    assert not seen.self_assessment_editable
    with pytest.raises(InvalidInput, match="read-only"):
        guider.delete_self_assessment(supervisor, seen.self_assessment[0].id)
    with pytest.raises(InvalidInput, match="read-only"):
        guider.add_self_assessment(supervisor, review.id, 3, "P1")

    # the supervisor rates the guider on the review recording (never on a clip), and comments as before
    rating = feedback.add_comment(supervisor, node.session.id, "P3 receiving initiatives — you named what she said",
                                  recording_id=review.id, frame=7, principle="P3", rates_guider=True)
    assert rating.rates_guider
    with pytest.raises(InvalidInput, match="shared-review recording"):
        feedback.add_comment(supervisor, node.session.id, "no", clip_id=node.clips[0].id, frame=1,
                             principle="P1", rates_guider=True)
    with pytest.raises(InvalidInput, match="shared-review recording"):
        feedback.add_comment(supervisor, node.session.id, "no", recording_id=review.id, rates_guider=True)
    feedback.add_comment(supervisor, node.session.id, "lovely moment", recording_id=review.id, frame=20)
    feedback.add_comment(supervisor, node.session.id, "P4 — you let the pause be", recording_id=review.id,
                         frame=29, principle="P4", rates_guider=True)
    assert [(c.frame, c.principle) for c in guider.guider_moments(supervisor, review.id).ratings] == [
        (7, "P3"), (29, "P4")]

    back = tmp_path / "feedback.age"
    assert feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)]).comments == 3
    result = open_bundle(practice.service, back)
    assert result.comments_added == 3
    back_home = guider.guider_moments(practice.service, review_id)
    assert [(c.frame, c.principle, c.text, c.rates_guider) for c in back_home.ratings] == [
        (7, "P3", "P3 receiving initiatives — you named what she said", True),
        (29, "P4", "P4 — you let the pause be", True)]
    ordinary = [c for c in feedback.comments(practice.service, practice.session_id) if not c.rates_guider]
    assert [(c.frame, c.recording_id) for c in ordinary] == [(20, review_id)]
    assert len(back_home.self_assessment) == 2  # the trainee's own tags stay theirs


def test_self_assessment_undo_and_redo_keep_id_and_uid(trainee_and_supervisor):
    practice, review_id, _supervisor = trainee_and_supervisor
    item = guider.add_self_assessment(practice.service, review_id, 4, "P2", "encouraged her")
    gone = guider.delete_self_assessment(practice.service, item.id)
    assert guider.guider_moments(practice.service, review_id).self_assessment == []
    back = guider.restore_self_assessment(practice.service, gone)
    [again] = guider.guider_moments(practice.service, review_id).self_assessment
    assert (again.id, again.uid, again.frame, back.id) == (item.id, item.uid, 4, item.id)


def _reseal(tmp_path, signer, recipient, bundle_path, identity_service, change):
    """The bundle's plaintext with feedback.json changed by `change`, signed again by `signer`."""
    plain = pyrage.decrypt(bundle_path.read_bytes(), [keys.identity(identity_service)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        doc = json.loads(tar.extractfile("feedback.json").read())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    change(doc)
    blob = json.dumps(doc).encode()
    manifest = dict(manifest, uid=new_uid(),
                    members={"feedback.json": {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}})
    path = tmp_path / f"resealed-{manifest['uid']}.age"
    write_encrypted(path, tar_stream(manifest, [Member.from_bytes("feedback.json", blob)], keys.signing_key(signer)),
                    [keys.public_key(recipient)])
    return path


def test_feedback_from_before_guider_ratings_still_imports(tmp_path, passphrase):
    practice, supervisor, node = open_in_supervisor(tmp_path, passphrase, with_review=True)
    try:
        review = next(r for r in node.recordings if r.file_name.startswith("shared review"))
        feedback.add_comment(supervisor, node.session.id, "well led", recording_id=review.id, frame=3,
                             rates_guider=True)
        back = tmp_path / "feedback.age"
        feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])

        def older(doc):  # what a VIG Studio without guider ratings wrote
            for item in doc["comments"]:
                del item["rates_guider"]

        def wrong(doc):
            doc["comments"][0]["rates_guider"] = "yes"

        refused = _reseal(tmp_path, supervisor, practice.service, back, practice.service, wrong)
        with pytest.raises(Exception, match="feedback.json is not valid"):
            open_bundle(practice.service, refused)
        old = _reseal(tmp_path, supervisor, practice.service, back, practice.service, older)
        assert open_bundle(practice.service, old).comments_added == 1
        [comment] = feedback.comments(practice.service, practice.session_id)
        assert comment.text == "well led" and comment.frame == 3 and not comment.rates_guider
    finally:
        practice.service.close()
        supervisor.close()


@pytest.mark.parametrize("made_at", ["0003_www", "0002"])
def test_a_library_from_before_0006_keeps_its_comments(tmp_path, passphrase, made_at):
    practice, supervisor, node = open_in_supervisor(tmp_path, passphrase, with_review=True)
    practice.service.close()
    comment = feedback.add_comment(supervisor, node.session.id, "kept as it was", principle="P2")
    folder = supervisor.path
    supervisor.close()
    lib = Library.open(folder, passphrase)
    try:
        downgrade(lib.engine, made_at)
        assert current_revision(lib.engine) == made_at
        assert "rates_guider" not in {c["name"] for c in inspect(lib.engine).get_columns("comments")}
        with lib.engine.connect() as conn:
            before = conn.execute(text("SELECT id, uid, text, principle FROM comments")).all()
    finally:
        lib.close()
    service = LibraryService()
    service.open(folder, passphrase)
    try:
        assert service.library.schema_version == head_revision()
        [again] = feedback.comments(service, node.session.id)
        assert [(again.id, again.uid, again.text, again.principle)] == [tuple(r) for r in before]
        assert (again.id, again.rates_guider) == (comment.id, False)
    finally:
        service.close()


def test_a_bundle_with_a_bad_self_assessment_is_refused_and_changes_nothing(trainee_and_supervisor, tmp_path):
    from tests.bundle.support import library_state
    from vigstudio.app.bundles import export_session_bundle
    from vigstudio.bundle import BundleRefused

    practice, review_id, supervisor = trainee_and_supervisor
    guider.add_self_assessment(practice.service, review_id, 12, "P3", "I named what she said")
    bundle = tmp_path / "session.age"
    export_session_bundle(practice.service, practice.session_id, bundle, [keys.public_key(supervisor)],
                          with_review_recording=True)
    plain = pyrage.decrypt(bundle.read_bytes(), [keys.identity(supervisor)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        members = {info.name: tar.extractfile(info).read() for info in tar}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("manifest.sig")
    doc = json.loads(members["session.json"])
    assert [s["frame"] for s in doc["self_assessment"]] == [12]
    before = library_state(supervisor)
    for bad in ({"frame": -1}, {"principle": None}, {"review_sha256": "nope"}, {"text": "\x1b[31m"}):
        changed = dict(doc, self_assessment=[dict(doc["self_assessment"][0], **bad)])
        members["session.json"] = json.dumps(changed).encode()
        sealed = dict(manifest, uid=new_uid(), members={
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in members.items()})
        path = tmp_path / f"bad-{sealed['uid']}.age"
        write_encrypted(path, tar_stream(sealed, [Member.from_bytes(n, d) for n, d in members.items()],
                                         keys.signing_key(practice.service)), [keys.public_key(supervisor)])
        with pytest.raises(BundleRefused, match="session.json is not valid"):
            open_bundle(supervisor, path)
        assert library_state(supervisor) == before
