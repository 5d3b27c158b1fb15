"""Change notifications: emitted after commits, to every subscriber, robust to a failing view."""

from __future__ import annotations

from vigstudio.app.changes import Change, ChangeAction, ChangeKind, ChangeNotifier


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
