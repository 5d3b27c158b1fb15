"""Change notifications: emitted after commits, to every subscriber, robust to a failing view, and
naming what each edit changed."""

from __future__ import annotations

from vigstudio.app import consent, editing, feedback, keys, retention, review
from vigstudio.app.cases import add_case, update_session_notes
from vigstudio.app.changes import Change, ChangeAction, ChangeKind, ChangeNotifier
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService


def test_subscribers_receive_changes_until_they_unsubscribe():
    notifier = ChangeNotifier()
    seen: list[Change] = []
    unsubscribe = notifier.subscribe(seen.append)
    change = Change(ChangeKind.CASE, ChangeAction.ADDED, (3,), 3)
    notifier.emit(change)
    unsubscribe()
    notifier.emit(Change(ChangeKind.CASE, ChangeAction.DELETED, (3,), 3))
    assert seen == [change]


def test_a_failing_subscriber_does_not_stop_the_others():
    notifier = ChangeNotifier()
    seen: list[Change] = []

    def broken(_change):
        raise RuntimeError("view bug")

    notifier.subscribe(broken)
    notifier.subscribe(seen.append)
    notifier.emit(Change(ChangeKind.RECORDING, ChangeAction.ADDED, (1,)))
    assert len(seen) == 1


def test_library_changes_touch_every_kind():
    reload_all = Change(ChangeKind.LIBRARY, ChangeAction.CLOSED)
    assert reload_all.touches(ChangeKind.CLIP)
    assert not Change(ChangeKind.CASE, ChangeAction.ADDED, (1,)).touches(ChangeKind.CLIP)


def test_each_kind_of_edit_names_its_own_kind_ids_case_and_session(service, video):
    case = add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    session_id = recording.session_id
    seen: list[Change] = []
    service.subscribe(seen.append)

    def last(n: int = 1) -> list[tuple]:
        return [(c.kind, c.action, c.ids, c.case_id, c.session_id) for c in seen[-n:]]

    marker = editing.add_marker(service, recording.id, 5)
    assert last() == [(ChangeKind.MARKER, ChangeAction.ADDED, (marker.id, recording.id), case.id, session_id)]
    comment = feedback.add_comment(service, session_id, "warm")
    assert last() == [(ChangeKind.COMMENT, ChangeAction.ADDED, (comment.id,), case.id, session_id)]
    reflection = review.add_reflection(service, session_id, "she was looking at me")
    assert last() == [(ChangeKind.REFLECTION, ChangeAction.ADDED, (reflection.id,), case.id, session_id)]
    [added] = consent.add(service, "F-1", ["keepsake"], recorded_by="practitioner")
    assert last() == [(ChangeKind.CONSENT, ChangeAction.ADDED, (added.id,), case.id, None)]
    consent.withdraw(service, "F-1", "keepsake")
    assert last() == [(ChangeKind.CONSENT, ChangeAction.UPDATED, (added.id,), case.id, None)]
    review.set_pin(service, "2468")
    retention.set_weeks(service, 52)
    assert last(2) == [(ChangeKind.SETTINGS, ChangeAction.UPDATED, (), None, None)] * 2
    other = LibraryService()
    other.create(service.path.parent / "other", "another long passphrase")
    contact = keys.add_contact(service, "Supervisor", keys.public_key(other))
    other.close()
    assert last() == [(ChangeKind.CONTACT, ChangeAction.ADDED, (contact.id,), None, None)]
    keys.remove_contact(service, contact.id)
    assert last() == [(ChangeKind.CONTACT, ChangeAction.DELETED, (contact.id,), None, None)]
    update_session_notes(service, session_id, "notes")
    assert last() == [(ChangeKind.SESSION, ChangeAction.UPDATED, (session_id,), case.id, session_id)]
    assert all(c.kind != ChangeKind.RECORDING for c in seen)  # markers are no longer told as recordings
