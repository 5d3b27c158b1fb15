"""A library of 300 cases (generated with bulk inserts, no media): the library window reads the cases
alone and each case when it is opened; an edit updates the one row it touches, never resets the
model, and the editor's session data ignores edits of other sessions. Asserted on the model's
signals and reads, not on time (timings are in bench/)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from bench.scale_library import generate
from tests.ui.shell_support import make_library, open_window
from vigstudio.app import editing
from vigstudio.app.cases import add_case, add_session, find_case
from vigstudio.app.recordings import delete_recording
from vigstudio.app.tree import library_tree
from vigstudio.ui import library_model
from vigstudio.ui.editor.session_data import SessionData
from vigstudio.ui.library_model import NodeKind

CASES = 300


@pytest.fixture
def big(tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase)
    generate(service, CASES)
    yield service
    service.close()


class ModelSignals:
    """Every structural signal of the model, as (name, parent key or None, first, last)."""

    def __init__(self, model):
        self.model, self.seen = model, []
        for name in ("modelAboutToBeReset", "modelReset", "layoutAboutToBeChanged", "layoutChanged"):
            getattr(model, name).connect(lambda *_a, name=name: self.seen.append((name, None, None, None)))
        for name in ("rowsInserted", "rowsRemoved"):
            getattr(model, name).connect(
                lambda parent, first, last, name=name: self.seen.append((name, self._key(parent), first, last)))
        model.dataChanged.connect(
            lambda top, bottom, *_roles: self.seen.append(("dataChanged", self._key(top), top.row(), bottom.row())))

    def _key(self, index: QModelIndex):
        node = self.model.node(index)
        return node.key if node is not None else None


def _case_index(window, case_code: str):
    model = window.model
    return next(model.index(row, 0) for row in range(model.rowCount()) if model.index(row, 0).data().startswith(case_code))


def _open_case(window, case_code: str):
    """Open the case's row in the tree as a click on its arrow does."""
    window.tree.expand(_case_index(window, case_code))


def _session_node(window, case_code: str, number: int = 0):
    sessions = [n for n in window.model.all_nodes() if n.kind == NodeKind.SESSION and n.case().code == case_code]
    return sessions[number]


def test_edits_in_a_300_case_library_update_one_row_without_a_reset(qtbot, big, monkeypatch):
    reads = []
    monkeypatch.setattr(library_model, "library_tree",
                        lambda service, case_id=None, **kw: reads.append(case_id) or library_tree(service, case_id, **kw))
    window = open_window(qtbot, big)
    model = window.model
    assert model.case_count() == CASES
    # Opening read the cases alone: every case closed, none of their rows read yet.
    assert reads == [] and all(not model.node(model.index(r, 0)).children for r in range(CASES))
    assert not window.tree.isExpanded(model.index(0, 0)) and model.hasChildren(model.index(0, 0))
    signals = ModelSignals(model)
    _open_case(window, "S-0150")  # one case read, its rows inserted under it (no reset)
    case_key = ("case", find_case(big, "S-0150").id)
    assert reads == [case_key[1]] and {s[:2] for s in signals.seen} == {("rowsInserted", case_key)}
    reads.clear()
    signals.seen.clear()
    node = _session_node(window, "S-0150", 1)
    assert window.tree.select_key(node.key)
    [case_tree] = library_tree(big, node.case().id)
    session = next(s for _i, _c, s in case_tree.sessions() if s.session.id == node.obj.id)
    clip = session.clips[0]
    assert node.session_node.clip_count == 4 and len(node.session_node.clips) == 4  # clip rows (no tags)
    recording = next(r for r in node.children if r.obj.id == clip.recording_id)
    clip_row = next(c for c in recording.children if c.obj.id == clip.id)
    signals.seen.clear()

    def edit(action) -> None:
        with qtbot.waitSignal(model.reloaded):
            action()

    # Edits the library window does not show (it counts stills; tags are not in it), and edits in a
    # case not opened (its row shows none of them): nothing read, nothing signalled.
    editing.set_still_caption(big, session.stills[0].id, "She looks up at you")
    editing.tag_clip(big, clip.id, "P3")
    [closed_case] = library_tree(big, find_case(big, "S-0200").id)
    editing.rename_clip(big, closed_case.sessions()[0][2].clips[0].id, "elsewhere")
    qtbot.wait(50)
    assert signals.seen == [] and reads == []

    # A clip renamed and trimmed: its case read again once, dataChanged on the clip's row only.
    edit(lambda: (editing.rename_clip(big, clip.id, "the smile"),
                  editing.trim_clip(big, clip.id, clip.start_frame, clip.end_frame + 5)))
    assert signals.seen == [("dataChanged", clip_row.key, clip_row.row(), clip_row.row())]
    assert reads == [node.case().id] and clip_row.label() == "the smile"
    signals.seen.clear()
    reads.clear()

    # A new clip changes the session's count and gets its row: that case read again.
    edit(lambda: editing.add_clip(big, clip.recording_id, 0, 10))
    last = len(recording.children) - 1
    assert signals.seen == [("dataChanged", node.key, node.row(), node.row()),
                            ("rowsInserted", recording.key, last, last)]
    assert reads == [node.case().id] and node.session_node.clip_count == 5
    signals.seen.clear()

    # Session notes show in the session's details: dataChanged on that row only.
    edit(lambda: editing.set_session_notes(big, node.obj.id, "calm visit"))
    assert signals.seen == [("dataChanged", node.key, node.row(), node.row())]
    assert node.obj.notes == "calm visit" and "calm visit" in window.details.text()

    # A new session appears under its cycle; a new case at its place in the order.
    signals.seen.clear()
    edit(lambda: add_session(big, "S-0150"))
    cycle = node.parent
    assert [s[:2] for s in signals.seen] == [("rowsInserted", cycle.key)]
    signals.seen.clear()
    edit(lambda: add_case(big, "S-0150a"))
    assert signals.seen == [("rowsInserted", None, 150, 150)]
    assert model.index(150, 0).data() == "S-0150a"

    # Deleting a recording removes its row under its session (whose clip count changes with it).
    signals.seen.clear()
    recording = node.children[0]
    edit(lambda: delete_recording(big, recording.obj.id))  # (its clip rows go with it)
    assert signals.seen == [("dataChanged", node.key, node.row(), node.row()), ("rowsRemoved", node.key, 0, 0)]
    assert "<td style='padding:3px 0'>0</td>" in window.details.text()  # no clips left
    assert len(reads) == 5 and None not in reads  # one case each time, never the whole library
    # (six in all: the read for the renamed clip was counted and cleared above)


def test_the_tree_keeps_what_the_user_closed_and_selected_across_updates(qtbot, big):
    window = open_window(qtbot, big)
    model, tree = window.model, window.tree
    first, second = model.index(0, 0), model.index(1, 0)
    assert not tree.isExpanded(first) and not tree.isExpanded(second)
    tree.expand(first)
    tree.expand(second)
    assert tree.isExpanded(model.index(0, 0, second))  # what is inside an opened case opens with it
    tree.collapse(first)
    session = _session_node(window, "S-0002")
    tree.select_key(session.key)
    with qtbot.waitSignal(model.reloaded):
        add_session(big, "S-0001")
    with qtbot.waitSignal(model.reloaded):
        add_session(big, "S-0002")
    assert not tree.isExpanded(model.index(0, 0)) and tree.isExpanded(model.index(1, 0))
    assert tree.current_node() is session
    new_session = _session_node(window, "S-0002", 4)
    assert tree.isExpanded(model.index_for_key(new_session.parent.key))
    model.detach()  # as locking does; unlocking attaches again (the one reset)
    model.attach(big)
    assert not tree.isExpanded(model.index(0, 0)) and tree.isExpanded(model.index(1, 0))
    assert tree.current_node().key == session.key
    assert not model.node(model.index(2, 0)).children  # a case never opened is still not read


def test_selecting_a_closed_case_reads_it_for_its_details(qtbot, big):
    window = open_window(qtbot, big)
    model = window.model
    index = _case_index(window, "S-0042")
    window.tree.setCurrentIndex(index)
    assert len(model.node(index).children) == 1 and not window.tree.isExpanded(index)
    assert "<td style='padding:3px 0'>4</td>" in window.details.text()  # its four sessions


def test_session_data_reloads_only_for_its_own_session(qtbot, big):
    [case] = library_tree(big, find_case(big, "S-0007").id)
    (_i, _c, mine), (_i2, _c2, other) = case.sessions()[:2]
    data = SessionData(big, mine.session.id)
    assert data.case_code == "S-0007" and len(data.clips) == 4
    changes = []
    data.changed.connect(lambda parts: changes.append(parts))
    editing.rename_clip(big, other.clips[0].id, "elsewhere")  # same case, another session
    editing.add_marker(big, other.recordings[0].id, 10)
    qtbot.wait(50)
    assert changes == []
    with qtbot.waitSignal(data.changed):
        editing.rename_clip(big, mine.clips[0].id, "here")
    assert data.clips[0].clip.title == "here"
    with qtbot.waitSignal(data.changed):
        editing.add_marker(big, mine.recordings[0].id, 10)
    assert [m.frame for m in data.markers] == [10]
    data.detach()


def test_the_caseload_is_not_read_again_for_edits_it_does_not_show(qtbot, big):
    from vigstudio.ui.caseload import CaseloadView

    view = CaseloadView()
    qtbot.addWidget(view)
    view.attach(big)
    assert view.model.rowCount() == CASES
    resets = []
    view.model.modelReset.connect(lambda: resets.append("reset"))
    [case] = library_tree(big, find_case(big, "S-0003").id)
    session = case.sessions()[0][2]
    editing.rename_clip(big, session.clips[0].id, "the smile")
    editing.set_still_caption(big, session.stills[0].id, "You wait")
    editing.add_marker(big, session.recordings[0].id, 10)
    editing.set_session_notes(big, session.session.id, "calm")
    qtbot.wait(50)
    assert resets == []
    with qtbot.waitSignal(view.model.modelReset):
        add_case(big, "S-9999")
    assert view.model.rowCount() == CASES + 1
    view.detach()
