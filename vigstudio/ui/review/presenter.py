"""PresenterWindow: the practitioner's screen during a shared review.

The playlist with the item on the family's screen highlighted, a small copy of that picture, the
principle tags and the practitioner's own prompts for the clip (the texts of its tags), an elapsed-time
clock, the controls (mirroring the family screen's keys; PageDown/PageUp from a clicker work here too),
and a box to write down the parent's own words. Enter saves them with the session at once, with the
clip or still and the frame that was on screen when the practitioner began writing them.

Under the playlist, the supervisor's comments on the item on screen (never on the family's screen),
then those on no item of the playlist (the shared-review recording, the whole session). A click (or
Enter) on a comment on a clip or still goes to that item, paused on the comment's frame; the others
have no moment in the playlist to go to. In a supervision case (a session opened from a
practitioner's bundle) the supervisor adds a timed comment there too, at the frame on screen.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import editing, feedback
from vigstudio.app.recordings import get_recording
from vigstudio.app.review import PlaylistItem, reflections
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import Comment
from vigstudio.ui import style
from vigstudio.ui.editor.comments_panel import CommentsPanel, describe, moment_text
from vigstudio.ui.editor.stills_panel import short_caption
from vigstudio.ui.review.controller import ReviewController, speed_text
from vigstudio.ui.review.picture import ReviewPicture
from vigstudio.ui.review.playlist_model import PlaylistModel
from vigstudio.ui.review.words import WordsRecorder

log = logging.getLogger(__name__)


def clock_text(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class PresenterWindow(QWidget):
    exit_requested = Signal()

    def __init__(self, controller: ReviewController, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.service = controller.service
        self.setObjectName("presenterWindow")
        plan = controller.plan
        self.setWindowTitle(f"Shared review — case {plan.case_code}, session {plan.session_id} (presenter)")
        self.resize(1200, 760)
        self._may_close = False
        self.words = WordsRecorder(controller)

        self._build()
        self._wire()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._load_reflections()
        self._load_comments()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        c = self.controller
        heading = QLabel(f"Shared review · case {c.plan.case_code} · session {c.plan.session_id}")
        heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.clock_label = QLabel("00:00")
        self.clock_label.setObjectName("elapsedClock")
        self.clock_label.setToolTip("Time since the review started")
        self.clock_label.setStyleSheet(f"font-size: 20pt; color: {style.ACCENT}; font-weight: 600;")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel("Elapsed"))
        top.addWidget(self.clock_label)

        fps = {}
        for item in c.items:
            if item.recording_id not in fps:
                try:
                    fps[item.recording_id] = get_recording(self.service, item.recording_id).fps
                except VigError:
                    fps[item.recording_id] = 0.0
        self.model = PlaylistModel(c.items, fps, self)
        self.playlist_view = QListView()
        self.playlist_view.setObjectName("reviewPlaylist")
        self.playlist_view.setAccessibleName("Review playlist")
        self.playlist_view.setModel(self.model)
        self.playlist_view.setWordWrap(True)
        self.playlist_view.setSpacing(3)
        # Wrapped rows are laid out again when the window is resized (a maximised presenter on a
        # second screen): no sideways scrolling, no row cut short at the width the window opened with.
        self.playlist_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.playlist_view.setItemDelegate(_WrappedRows(self.playlist_view))
        self.playlist_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.playlist_view.clicked.connect(lambda index: c.go_to(index.row()))
        self._fps = fps
        self._comments: list[Comment] = []
        try:
            can_comment = feedback.is_supervision_session(self.service, c.session_id)
        except VigError:
            can_comment = False
        self.comments_panel = CommentsPanel(editing.principles_catalogue(self.service), can_add=can_comment)
        self.comments_panel.addRequested.connect(self.add_comment)
        self.comments_panel.jumpRequested.connect(self.go_to_moment)
        left = QVBoxLayout()
        left.addWidget(_section("Playlist"))
        left.addWidget(self.playlist_view, 3)
        left.addWidget(_section("Supervisor comments"))
        left.addWidget(self.comments_panel, 2)
        left_box = QWidget()
        left_box.setLayout(left)

        self.preview = ReviewPicture(caption_scale=1.3)
        self.preview.setMinimumSize(320, 180)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.item_label = QLabel("")
        self.item_label.setObjectName("presenterItem")
        self.item_label.setWordWrap(True)
        self.item_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.position_label = QLabel("")
        self.position_label.setProperty("muted", True)
        self.tags_label = QLabel("")
        self.tags_label.setObjectName("presenterTags")
        self.tags_label.setWordWrap(True)
        self.tags_label.setTextFormat(Qt.TextFormat.RichText)
        self.prompts_label = QLabel("")
        self.prompts_label.setObjectName("presenterPrompts")
        self.prompts_label.setWordWrap(True)
        self.prompts_label.setTextFormat(Qt.TextFormat.RichText)
        self.prompts_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.previous_button = self._button("‹ Previous", "Previous item (Left / PageUp on the family screen)",
                                            c.previous)
        self.play_button = self._button("Play", "Play or pause the clip (Space)", c.toggle_play)
        self.next_button = self._button("Next ›", "Next item (Right / PageDown)", c.next)
        self.slower_button = self._button("Slower", "Slower (Down)", c.slower)
        self.speed_label = QLabel(speed_text(c.speed))
        self.faster_button = self._button("Faster", "Faster (Up)", c.faster)
        self.replay_button = self._button("Replay", "Play the clip again from its start (R)", c.replay)
        self.loop_button = self._button("Loop", "Loop the clip (L)", c.toggle_loop, checkable=True)
        self.captions_button = self._button("Captions", "Show captions and titles on the family screen (T)",
                                            c.toggle_captions, checkable=True)
        self.captions_button.setChecked(c.captions)
        self.end_button = self._button("End review…", "Leave the review (needs the PIN or passphrase)",
                                       self.exit_requested.emit)
        controls = QHBoxLayout()
        for widget in (self.previous_button, self.play_button, self.next_button, None, self.slower_button,
                       self.speed_label, self.faster_button, None, self.replay_button, self.loop_button,
                       self.captions_button):
            if widget is None:
                controls.addSpacing(14)
            else:
                controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.end_button)

        self.words_edit = QLineEdit()
        self.words_edit.setObjectName("parentWords")
        self.words_edit.setAccessibleName("The parent's own words")
        self.words_edit.setPlaceholderText("Write down what the parent says — Enter saves it with this moment")
        self.words_edit.setMaxLength(4000)
        self.words_edit.textEdited.connect(self._writing)
        self.words_edit.returnPressed.connect(self.save_words)
        self.words_status = QLabel("")
        self.words_status.setProperty("muted", True)
        self.reflections_list = QListWidget()
        self.reflections_list.setObjectName("reflectionsList")
        self.reflections_list.setAccessibleName("The parent's words written so far")
        self.reflections_list.setWordWrap(True)
        self.reflections_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.reflections_list.setItemDelegate(_WrappedRows(self.reflections_list))
        self.reflections_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        middle = QVBoxLayout()
        middle.addWidget(self.item_label)
        middle.addWidget(self.position_label)
        middle.addWidget(self.preview, 3)
        middle.addLayout(controls)
        middle.addWidget(_section("Principles"))
        middle.addWidget(self.tags_label)
        middle.addWidget(_section("Your prompts"))
        middle.addWidget(self.prompts_label)
        middle.addWidget(_section("The parent's own words"))
        middle.addWidget(self.words_edit)
        middle.addWidget(self.words_status)
        middle.addWidget(_section("Said so far"))
        middle.addWidget(self.reflections_list, 2)
        middle_box = QWidget()
        middle_box.setLayout(middle)

        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(middle_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addLayout(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {style.BORDER};")
        layout.addWidget(line)
        layout.addWidget(splitter, 1)

        # A clicker sends PageDown/PageUp to whichever window has the focus: this one works too.
        for key, slot in ((Qt.Key.Key_PageDown, c.next), (Qt.Key.Key_PageUp, c.previous)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)

    def _button(self, text: str, tip: str, slot, *, checkable: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # keep the typing box focused after a click
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _wire(self) -> None:
        c = self.controller
        c.itemChanged.connect(self._item_changed)
        c.frameChanged.connect(self._frame_changed)
        c.playingChanged.connect(lambda playing: self.play_button.setText("Pause" if playing else "Play"))
        c.speedChanged.connect(lambda speed: self.speed_label.setText(speed_text(speed)))
        c.loopChanged.connect(self.loop_button.setChecked)
        c.captionsChanged.connect(self._captions_changed)
        self._captions_changed(c.captions)

    # -- following the review -------------------------------------------------------------------

    def show_current(self) -> None:
        """Catch up with a review already under way (a presenter made when a screen was plugged in)."""
        c = self.controller
        if c.index >= 0:
            self._item_changed(c.index)
            if c.image is not None and c.current_frame is not None:
                self._frame_changed(c.current_frame, c.image)

    def _tick(self) -> None:
        self.clock_label.setText(clock_text(self.controller.elapsed_seconds()))

    def _item_changed(self, row: int) -> None:
        c, item = self.controller, self.controller.current
        self.model.set_current(row)
        self.playlist_view.setCurrentIndex(self.model.index(row))
        self.preview.set_sample_aspect_ratio(c.sample_aspect_ratio)
        self._captions_changed(c.captions)
        self._show_comments()
        if item is None:
            return
        if item.is_still:
            self.item_label.setText(f"Still: “{item.caption}”" if item.caption else "Still (no caption)")
        else:
            self.item_label.setText(item.name)
        names = c.plan.principle_names
        chips = [f"<b>{html.escape(code)}</b> {html.escape(names.get(code, ''))}" for code in item.principles]
        self.tags_label.setText(" &nbsp;·&nbsp; ".join(chips) if chips else "<i>No principles tagged</i>")
        prompts = "".join(f"<li>{html.escape(p)}</li>" for p in item.prompts)
        self.prompts_label.setText(f"<ul style='margin-left:-20px'>{prompts}</ul>" if prompts
                                   else "<i>No prompts written for this clip</i>")
        self._frame_changed(item.start_frame, None)

    def _frame_changed(self, index: int, image) -> None:
        item = self.controller.current
        if image is not None:
            self.preview.set_frame(index, image)
        if item is None:
            self.comments_panel.set_moment(None)
            return
        fps = self._fps.get(item.recording_id, 0.0)
        self.comments_panel.set_moment(f"At {moment_text(index if not item.is_still else item.frame, fps)} "
                                       f"of this {'still' if item.is_still else 'clip'}")
        if item.is_still:
            self.position_label.setText(f"Item {self.controller.index + 1} of {len(self.controller.items)} · "
                                        f"frame {item.frame}")
        else:
            self.position_label.setText(f"Item {self.controller.index + 1} of {len(self.controller.items)} · "
                                        f"frame {index} (clip {item.start_frame}–{item.last_frame})")

    def _captions_changed(self, on: bool) -> None:
        self.captions_button.setChecked(on)
        item = self.controller.current
        self.preview.set_caption(item.label if item is not None and on else "")

    # -- the parent's words ---------------------------------------------------------------------

    def _writing(self, text: str) -> None:
        # The words were said just before the practitioner began to write: keep that moment.
        self.words.writing(text)

    def save_words(self) -> None:
        if not self.words_edit.text().strip():
            return
        problem = self.words.save(self.words_edit.text())
        if problem is not None:
            self.words_status.setText(f"Not saved: {problem}")
            return
        self.words_edit.clear()
        self.words_status.setText("Saved.")
        self._load_reflections()

    def _load_reflections(self) -> None:
        self.reflections_list.clear()
        try:
            saved = reflections(self.service, self.controller.session_id)
        except VigError:
            return
        labels = {("clip", i.id): i for i in self.controller.items if not i.is_still}
        labels.update({("still", i.id): i for i in self.controller.items if i.is_still})
        for reflection in reversed(saved):  # the latest first, right under the box
            where = []
            if reflection.still_id is not None and ("still", reflection.still_id) in labels:
                caption = labels[("still", reflection.still_id)].caption
                where.append(f"still “{short_caption(caption, 40)}”" if caption else "still")
            elif reflection.clip_id is not None and ("clip", reflection.clip_id) in labels:
                where.append(labels[("clip", reflection.clip_id)].name)
            if reflection.frame is not None:
                where.append(f"frame {reflection.frame}")
            when = reflection.said_at.astimezone().strftime("%H:%M")
            self.reflections_list.addItem(f"“{reflection.text}” — {', '.join(where + [when])}")

    # -- supervisor comments -----------------------------------------------------------------------

    def _load_comments(self) -> None:
        try:
            self._comments = feedback.comments(self.service, self.controller.session_id)
        except VigError:
            self._comments = []
        self._show_comments()

    def _show_comments(self) -> None:
        item, items = self.controller.current, self.controller.items
        fps = self._fps.get(item.recording_id, 0.0) if item is not None else 0.0
        rows = [describe(c, moment_text(c.frame, fps) or "The whole clip", self._moment_of(c))
                for c in self._comments if item is not None and _is_about(c, item)]
        rows += [describe(c, self._place_off_the_playlist(c))
                 for c in self._comments if not any(_is_about(c, i) for i in items)]
        self.comments_panel.set_rows(rows)

    def _moment_of(self, comment: Comment) -> tuple[int, int] | None:
        """(recording, frame) of a comment on a clip or still of the playlist (a comment on the whole
        clip: its first frame); None when no item shows it."""
        clip = next((i for i in self.controller.items if not i.is_still and i.id == comment.clip_id), None)
        recording_id, frame = comment.recording_id, comment.frame
        if clip is not None:
            recording_id = clip.recording_id if recording_id is None else recording_id
            frame = clip.start_frame if frame is None else frame
        if recording_id is None or frame is None or self._item_showing(recording_id, frame) is None:
            return None
        return recording_id, frame

    def _item_showing(self, recording_id: int, frame: int) -> int | None:
        """The playlist item to show a moment in: the one on screen if it holds the frame, else the
        first clip that does, else a still of exactly that frame."""
        items, current = self.controller.items, self.controller.index
        holding = [n for n, i in enumerate(items)
                   if i.recording_id == recording_id and i.start_frame <= frame < i.end_frame]
        if current in holding:
            return current
        return next((n for n in holding if not items[n].is_still), holding[0] if holding else None)

    def _place_off_the_playlist(self, comment: Comment) -> str:
        if comment.recording_id is None:
            return "The whole session"
        playlist_recordings = {i.recording_id for i in self.controller.items}
        place = "This recording" if comment.recording_id in playlist_recordings else "Shared review"
        moment = moment_text(comment.frame, self._recording_fps(comment.recording_id))
        return f"{place} · {moment}" if moment else place

    def _recording_fps(self, recording_id: int) -> float:
        if recording_id not in self._fps:
            try:
                self._fps[recording_id] = get_recording(self.service, recording_id).fps
            except VigError:  # deleted since
                self._fps[recording_id] = 0.0
        return self._fps[recording_id]

    def go_to_moment(self, recording_id: int, frame: int) -> None:
        """A comment's moment: its clip or still in the playlist, paused on the comment's frame."""
        index = self._item_showing(recording_id, frame)
        if index is not None:
            self.controller.go_to(index, frame)

    def add_comment(self, text: str, principle: str | None) -> Comment | None:
        """A supervisor's timed comment on the frame on screen (a still: its frame)."""
        item = self.controller.current
        if item is None:
            return None
        frame = self.controller.current_frame
        frame = item.frame if item.is_still or frame is None else frame
        clip_id = item.clip_id if item.is_still else item.id
        try:
            comment = feedback.add_comment(self.service, self.controller.session_id, text, clip_id=clip_id,
                                           recording_id=item.recording_id, frame=frame, principle=principle)
        except VigError as error:
            self.words_status.setText(f"Comment not saved: {error}")
            return None
        self.comments_panel.comment_added()
        self.words_status.setText(f"Comment saved at frame {frame}.")
        self._load_comments()
        return comment

    # -- closing --------------------------------------------------------------------------------

    def allow_close(self) -> None:
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self._clock.stop()
            event.accept()
            return
        event.ignore()
        self.exit_requested.emit()


def _is_about(comment: Comment, item: PlaylistItem) -> bool:
    """Whether the comment is on the item: its clip (a still: the clip it follows), or its frames."""
    clip_id = item.clip_id if item.is_still else item.id
    if clip_id is not None and comment.clip_id == clip_id:
        return True
    return (comment.recording_id == item.recording_id and comment.frame is not None
            and item.start_frame <= comment.frame < item.end_frame)


class _WrappedRows(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the list's width: left to itself a word-wrapping list
    measures a row on one line when it is laid out, then cuts it short with "…" in a narrower list."""

    def __init__(self, view: QListView):
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        option = QStyleOptionViewItem(option)
        # less the rows' padding from the style sheet (style.py), which the measuring leaves out
        option.rect.setWidth(self._view.viewport().width() - 2 * self._view.spacing() - 8)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        return super().sizeHint(option, index)


def _section(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setStyleSheet(f"color: {style.MUTED}; font-size: 8.5pt; font-weight: 600; letter-spacing: 1px; "
                        "margin-top: 6px;")
    return label
