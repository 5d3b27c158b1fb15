"""Scrubbing proxies in a real library: built encrypted after import, exact per frame, gone with
their recording (delete, retention, consent), cancel leaves nothing, leftovers are cleaned up."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.videos import read_frame_number
from vigstudio.app import consent, proxies, retention
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.progress import Progress
from vigstudio.app.recordings import delete_recording
from vigstudio.domain.errors import Cancelled
from vigstudio.store.containers import proxy_name


def _media_files(service) -> set[str]:
    return {p.name for p in (service.path / "media").iterdir()}


def test_the_proxy_shows_every_frame_and_is_encrypted(service, video):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    assert proxies.open_proxy(service, recording.id) is None
    assert proxies.recordings_without_proxy(service) == [recording.id]
    seen = []
    assert proxies.build_proxy(service, recording.id, lambda f, label: seen.append(f)) is True
    assert seen and seen[-1] == 1.0
    assert proxies.build_proxy(service, recording.id) is False  # made once
    assert proxies.recordings_without_proxy(service) == []
    assert _media_files(service) == {recording.container, proxy_name(recording.container)}
    raw = (service.path / "media" / proxy_name(recording.container)).read_bytes()
    assert b"VIGPRX" not in raw and b"SQLite format" not in raw  # no plaintext, not even the header
    proxy = proxies.open_proxy(service, recording.id)
    try:
        assert proxy.frame_count == recording.frame_count
        for i in [47, 0, 13, 12, 11, 30, 31, 5]:
            assert read_frame_number(proxy.frame(i)) == i
    finally:
        proxy.close()
    assert service.check().problems == []


def test_a_cancelled_build_leaves_nothing(service, video):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    progress = Progress(lambda f, label: f > 0.4 and progress.cancel())
    with pytest.raises(Cancelled):
        proxies.build_proxy(service, recording.id, progress)
    assert _media_files(service) == {recording.container}
    assert proxies.open_proxy(service, recording.id) is None


def test_the_proxy_goes_with_its_recording(service, video):
    for code in ("A", "B", "C"):
        add_case(service, code)
    by_hand, by_consent, by_retention = (import_recording(service, code, video) for code in "ABC")
    for recording in (by_hand, by_consent, by_retention):
        proxies.build_proxy(service, recording.id)
    delete_recording(service, by_hand.id)
    consent.delete_case_media(service, "B")
    retention.set_weeks(service, 1)
    retention.close_case(service, "C", on=dt.date(2026, 1, 1))
    assert retention.purge(service, [by_retention.id], dt.date(2026, 6, 1)) == 1
    assert _media_files(service) == set()


def test_leftover_proxies_are_removed_and_used_ones_kept(tmp_path, passphrase, video):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    add_case(service, "F-1")
    kept = import_recording(service, "F-1", video)
    unbuilt = import_recording(service, "F-1", video)
    proxies.build_proxy(service, kept.id)
    media = service.path / "media"
    orphan = media / proxy_name(unbuilt.container)  # as if a build was killed after the rename
    orphan.write_bytes((media / proxy_name(kept.container)).read_bytes())
    (media / (proxy_name(unbuilt.container) + ".partial")).write_bytes(b"half")
    service.close()
    service.open(tmp_path / "lib", passphrase)
    try:
        assert _media_files(service) == {kept.container, unbuilt.container, proxy_name(kept.container)}
        assert read_frame_number(proxies.open_proxy(service, kept.id).frame(20)) == 20
    finally:
        service.close()


def test_a_damaged_proxy_is_forgotten_and_made_again(service, video):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    proxies.build_proxy(service, recording.id)
    (service.path / "media" / proxy_name(recording.container)).write_bytes(b"damaged")
    assert proxies.open_proxy(service, recording.id) is None
    assert proxies.build_proxy(service, recording.id) is True
    assert read_frame_number(proxies.open_proxy(service, recording.id).frame(3)) == 3
