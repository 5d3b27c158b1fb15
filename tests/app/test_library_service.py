"""LibraryService on real SQLCipher libraries: lifecycle, cases, tree, changes, audit, check."""

from __future__ import annotations

import pytest

from tests.app.conftest import folder_snapshot
from tests.videos import read_frame_number
from vigstudio.app.cases import add_case, add_session, find_case
from vigstudio.app.changes import ChangeAction, ChangeKind
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryNotOpen, LibraryService, parse_referral
from vigstudio.app.recordings import delete_recording, get_recording, open_recording_media, recording_asset
from vigstudio.app.tree import library_tree
from vigstudio.domain.errors import InvalidInput, NotFound, PassphraseTooShort, WrongPassphrase
from vigstudio.domain.model import InterventionKind, ReferralSource, SessionKind


def audit_actions(service) -> list[tuple[str, str]]:
    with service.read() as repos:
        return [(e.action, e.object) for e in repos.audit.list()]


def test_short_passphrase_is_refused_before_anything_touches_the_disk(tmp_path):
    target = tmp_path / "lib"
    with pytest.raises(PassphraseTooShort, match="at least 10"):
        LibraryService().create(target, "short")
    assert not target.exists()


def test_create_close_open_and_wrong_passphrase(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    add_case(service, "F-014")
    service.close()
    with pytest.raises(LibraryNotOpen):
        library_tree(service)
    before = folder_snapshot(tmp_path / "lib")
    with pytest.raises(WrongPassphrase, match="wrong passphrase for library"):
        service.open(tmp_path / "lib", "not the passphrase at all")
    assert not service.is_open
    assert folder_snapshot(tmp_path / "lib") == before
    service.open(tmp_path / "lib", passphrase)
    assert [node.case.code for node in library_tree(service)] == ["F-014"]
    assert [a for a, _ in audit_actions(service)] == ["create", "case_add", "unlock"]
    service.close()


def test_case_codes_are_validated(service):
    for bad in ("", "   ", "F\t014", "x" * 65):
        with pytest.raises(InvalidInput):
            add_case(service, bad)
    case = add_case(service, "  F-014 ", name="  ", referral="mental-health")
    assert (case.code, case.name, case.referral) == ("F-014", None, ReferralSource.MENTAL_HEALTH)
    with pytest.raises(InvalidInput, match="case F-014 already exists"):
        add_case(service, "f-014")
    with pytest.raises(NotFound, match="unknown case: F-999"):
        find_case(service, "F-999")


@pytest.mark.parametrize("text, expected", [
    ("health-visitor", ReferralSource.HEALTH_VISITOR), ("Social care", ReferralSource.SOCIAL_CARE),
    ("gp", ReferralSource.GP), ("SELF", ReferralSource.SELF)])
def test_referral_sources_tolerate_hyphens_spaces_and_case(text, expected):
    assert parse_referral(text) is expected


def test_unknown_referral_source_lists_the_choices():
    with pytest.raises(InvalidInput, match="one of: health_visitor"):
        parse_referral("neighbour")


def test_changes_are_emitted_after_each_commit(service, video):
    seen = []
    unsubscribe = service.subscribe(seen.append)
    case = add_case(service, "F-014")
    recording = import_recording(service, "F-014", video)
    delete_recording(service, recording.id)
    unsubscribe()
    add_case(service, "F-015")
    assert [(c.kind, c.action) for c in seen] == [
        (ChangeKind.CASE, ChangeAction.ADDED),
        (ChangeKind.SESSION, ChangeAction.ADDED),
        (ChangeKind.RECORDING, ChangeAction.ADDED),
        (ChangeKind.RECORDING, ChangeAction.DELETED),
    ]
    assert seen[0].ids == (case.id,) and seen[2].ids == (recording.id,)
    assert all(c.case_id == case.id for c in seen)


def test_a_subscriber_sees_the_committed_state(service, video):
    add_case(service, "F-014")
    counts = []
    service.subscribe(lambda change: counts.append(
        sum(len(s.recordings) for node in library_tree(service) for _, _, s in node.sessions())))
    import_recording(service, "F-014", video)
    assert counts[-1] == 1


def test_import_without_session_builds_the_vig_structure(service, video):
    add_case(service, "F-014", referral=ReferralSource.HEALTH_VISITOR)
    first = import_recording(service, "F-014", video)
    second = import_recording(service, "F-014", video, session_id=first.session_id)
    [case] = library_tree(service)
    [intervention] = case.interventions
    assert intervention.intervention.kind == InterventionKind.VIG
    [cycle] = intervention.cycles
    assert cycle.cycle.number == 1
    [session] = cycle.sessions
    assert session.session.kind == SessionKind.FILMING
    assert [r.id for r in session.recordings] == [first.id, second.id]
    assert first.frame_count == 48 and first.file_name == "family.mp4" and first.has_audio
    # A third import without a session gets a new filming session in the same cycle.
    import_recording(service, "F-014", video)
    [case] = library_tree(service)
    assert len(case.interventions[0].cycles[0].sessions) == 2


def test_session_of_another_case_is_refused(service, video):
    add_case(service, "F-014")
    add_case(service, "F-015")
    other = add_session(service, "F-015")
    with pytest.raises(InvalidInput, match=f"session {other.id} does not belong to case F-014"):
        import_recording(service, "F-014", video, session_id=other.id)
    with pytest.raises(NotFound, match="unknown session: 999"):
        import_recording(service, "F-014", video, session_id=999)


def test_open_media_serves_exact_frames_from_the_encrypted_container(service, video):
    add_case(service, "F-014")
    recording = import_recording(service, "F-014", video)
    media = open_recording_media(service, recording.id)
    try:
        assert media.info.frame_count == 48
        for i in (0, 47, 13, 12, 11, 30):
            assert read_frame_number(media.frame(i)) == i
    finally:
        media.close()
    assert recording_asset(service, recording.id, "index")
    assert recording_asset(service, recording.id, "thumbnails")
    assert recording_asset(service, recording.id, "waveform")


def test_delete_recording_removes_its_container_and_is_audited(service, video, tmp_path):
    add_case(service, "F-014")
    recording = import_recording(service, "F-014", video)
    container = tmp_path / "lib" / "media" / recording.container
    assert container.is_file()
    delete_recording(service, recording.id)
    assert not container.exists()
    with pytest.raises(NotFound):
        get_recording(service, recording.id)
    actions = audit_actions(service)
    assert ("delete", f"recording {recording.id} case F-014") in actions
    assert any(a == "import" and o.startswith(f"recording {recording.id} ") for a, o in actions)


def test_change_passphrase_rewraps_and_is_audited(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    with pytest.raises(PassphraseTooShort):
        service.change_passphrase(passphrase, "tiny")
    with pytest.raises(WrongPassphrase):
        service.change_passphrase("not the passphrase at all", "a brand new passphrase")
    service.change_passphrase(passphrase, "a brand new passphrase")
    assert ("passphrase_change", "library") in audit_actions(service)
    service.close()
    with pytest.raises(WrongPassphrase):
        service.open(tmp_path / "lib", passphrase)
    service.open(tmp_path / "lib", "a brand new passphrase")
    service.close()


def test_info_counts_and_versions(service, video):
    add_case(service, "F-014")
    import_recording(service, "F-014", video)
    info = service.info()
    assert (info.cases, info.sessions, info.recordings, info.clips, info.stills) == (1, 1, 1, 0, 0)
    assert info.size_bytes > video.stat().st_size
    assert info.sqlcipher_version.startswith("4.")
    assert info.schema_version and info.schema_version != "None"
    assert dict(info.as_lines())["recordings"] == "1"


def test_check_passes_then_finds_a_damaged_container(service, video, tmp_path):
    add_case(service, "F-014")
    recording = import_recording(service, "F-014", video)
    fractions = []
    report = service.check(lambda fraction, label: fractions.append(fraction))
    assert report.ok and report.checked == 2 and fractions[-1] == 1.0
    container = tmp_path / "lib" / "media" / recording.container
    data = bytearray(container.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16] = bytes(16)
    container.write_bytes(bytes(data))
    report = service.check()
    assert not report.ok
    assert any(recording.container in problem for problem in report.problems)
