"""The presenter's supervisor comments go to their moment: a click (or Enter) on a comment on a clip
or still of the playlist shows that item on both screens, paused on the comment's frame; a comment on
the shared-review recording, or on the whole session, is shown but goes nowhere. A supervisor's
library opened from a real bundle (with the shared-review recording), real decoding: the frame is
read from the picture itself.

Its playlist: clip 1 (frames 0–11 of its own recording, the practitioner's 5–16), clip 2 (0–11, the
practitioner's 33–44), then the still at frame 7 of clip 2 (the practitioner's 40)."""

from __future__ import annotations

import pytest

from tests.ui.test_editor_supervision import activate_row_from_the_keyboard, click_row
from tests.ui.test_review_mode import image_number
from vigstudio.app import bundles, editing, feedback
from vigstudio.ui.editor.comments_panel import JUMP_ROLE
from vigstudio.ui.review import start_review

CLIP_STARTS = (5, 33)  # where the two clips start in the practitioner's recording (the pictures' numbers)


def family_shows(mode, index: int, frame: int, original: int) -> bool:
    """The family screen shows playlist item `index` paused on `frame`, the picture being the
    practitioner's frame `original`."""
    controller, picture = mode.controller, mode.family.picture
    return (controller.index == index and not controller.playing and controller.current_frame == frame
            and picture.frame_index() == frame and image_number(picture.image()) == original)


@pytest.fixture
def review_with_comments(qtbot, opened_with_review):
    _practice, supervisor, node = opened_with_review
    session_id = node.session.id
    first, second = sorted(node.clips, key=lambda c: c.position)
    [review] = [r for r in editing.recordings_of_session(supervisor, session_id)
                if "review_sha256" in bundles.origin_of(supervisor, r.id)]
    feedback.add_comment(supervisor, session_id, "lovely turn", clip_id=first.id, frame=6)
    feedback.add_comment(supervisor, session_id, "her hands", clip_id=second.id, frame=3)
    feedback.add_comment(supervisor, session_id, "you waited for her to look back", recording_id=review.id,
                         frame=20)
    feedback.add_comment(supervisor, session_id, "a calm review overall")
    mode = start_review(supervisor, session_id, presenter=True)
    qtbot.waitUntil(lambda: family_shows(mode, 0, 0, CLIP_STARTS[0]))
    yield mode
    mode.end()


def rows(panel) -> list[tuple[str, str, bool]]:
    """(where, words, goes somewhere) of each comment row."""
    out = []
    for n in range(panel.list.count()):
        item = panel.list.item(n)
        where, words, _author = item.text().split("\n")
        out.append((where, words, bool(item.data(JUMP_ROLE))))
    return out


def test_a_click_on_a_comment_goes_to_its_frame_of_the_clip_on_screen(qtbot, review_with_comments):
    mode = review_with_comments
    panel = mode.presenter.comments_panel
    assert rows(panel) == [("frame 6 · 00:00.240", "lovely turn", True),
                           ("Shared review · frame 20 · 00:00.800", "you waited for her to look back", False),
                           ("The whole session", "a calm review overall", False)]
    assert panel.list.item(0).toolTip() == "Click to go to this moment"
    click_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: family_shows(mode, 0, 6, CLIP_STARTS[0] + 6))
    assert "frame 6" in mode.presenter.position_label.text()


def test_a_comment_on_a_stills_clip_goes_back_to_the_clip_at_its_frame(qtbot, review_with_comments):
    mode = review_with_comments
    panel = mode.presenter.comments_panel
    mode.controller.go_to(2)  # the still in clip 2 (its frame 7): clip 2's comment shows with it
    qtbot.waitUntil(lambda: family_shows(mode, 2, 7, 40))
    assert [r[1] for r in rows(panel)] == ["her hands", "you waited for her to look back", "a calm review overall"]
    activate_row_from_the_keyboard(qtbot, panel, 0)  # Enter, as from the keyboard
    qtbot.waitUntil(lambda: family_shows(mode, 1, 3, CLIP_STARTS[1] + 3))
    assert mode.presenter.model.current_row == 1 and mode.presenter.playlist_view.currentIndex().row() == 1


def test_comments_on_the_shared_review_or_the_whole_session_go_nowhere(qtbot, review_with_comments):
    mode = review_with_comments
    panel = mode.presenter.comments_panel
    mode.controller.next()
    qtbot.waitUntil(lambda: family_shows(mode, 1, 0, CLIP_STARTS[1]))
    for row in (1, 2):  # the shared review's comment, the whole session's
        assert rows(panel)[row][2] is False and panel.list.item(row).toolTip() == ""
        click_row(qtbot, panel, row)
        activate_row_from_the_keyboard(qtbot, panel, row)
        assert family_shows(mode, 1, 0, CLIP_STARTS[1])
    # nothing of the comments reaches the family's screen
    assert mode.family.picture.caption() == ""
