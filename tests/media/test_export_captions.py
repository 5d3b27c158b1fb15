"""Burned-in captions and title cards: real Pillow rendering into real pictures, read back as pixels."""

from __future__ import annotations

import numpy as np
import pytest

from vigstudio.media import export_overlays
from vigstudio.media.export_overlays import CaptionOverlay, drawable_text, title_card

W, H = 640, 360
LONG = ("You waited, and she turned to you. When you paused and smiled, her eyes found yours and she "
        "reached out; you named it softly and she laughed, again and again, for a long time together")


def ink(text: str, width: int = W, height: int = H) -> np.ndarray:
    """Where the caption's letters are: on a black picture the band and shadow stay black."""
    rgb = np.zeros((height, width, 3), np.uint8)
    CaptionOverlay(text, width, height).apply(rgb)
    return rgb.max(axis=2) > 40


def big(text: str) -> np.ndarray:
    """The letters of a caption on a 720p picture (36 px type: accents span dozens of pixels)."""
    return ink(text, 1280, 720)


def rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.any(axis=1))


def cols(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.any(axis=0))


def textured(width: int = W, height: int = H) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([(x * 3 + y) % 200 + 40, (y * 2) % 180 + 60, (x + y * 5) % 190 + 50], -1).astype(np.uint8)


def test_diaeresis_is_drawn_above_the_letter():
    with_marks, plain = big("Zoë"), big("Zoe")
    differ = with_marks ^ plain
    assert differ.sum() > 20  # two dots of about 4×4 px
    # the difference is the two dots: above the x-height, over the last letter
    x_height_top = rows(big("o"))[0]
    assert rows(differ)[-1] < x_height_top
    assert cols(differ)[0] > cols(plain)[0] + (cols(plain)[-1] - cols(plain)[0]) * 0.55
    assert not (plain[:, :cols(differ)[0]] ^ with_marks[:, :cols(differ)[0]]).any()


def test_acute_accent_and_typographic_apostrophe_are_real_glyphs():
    assert (big("é") ^ big("e")).sum() > 20
    apostrophe, question = big("’"), big("?")
    assert apostrophe.sum() > 5 and (apostrophe ^ question).sum() > question.sum() * 0.5
    # an apostrophe sits high, above the x-height; "?" or a missing-glyph box would reach the baseline
    x_rows = rows(big("x"))
    assert rows(apostrophe)[-1] < (x_rows[0] + x_rows[-1]) / 2
    assert rows(question)[-1] >= x_rows[-1] - 1
    assert (big("It’s her turn") ^ big("It?s her turn")).sum() > 40


def test_decomposed_accents_are_composed_before_drawing():
    assert drawable_text("Zoe\u0308  is\nhere\t") == "Zoë is here"
    assert not (ink("Zoe\u0308") ^ ink("Zoë")).any()


def test_long_caption_wraps_to_three_centred_lines_inside_the_band():
    overlay = CaptionOverlay(LONG, W, H)
    assert len(overlay.lines) == 3 and overlay.lines[-1].endswith("…")
    assert " ".join(overlay.lines).rstrip("…").split() == LONG.split()[:len(" ".join(overlay.lines).split())]
    mask = ink(LONG)
    text_rows = rows(mask)
    assert text_rows[0] > overlay.top and text_rows[-1] < H - 2
    gaps = np.flatnonzero(np.diff(text_rows) > 1)
    assert len(gaps) == 2  # three separate lines of letters
    left, right = cols(mask)[0], cols(mask)[-1]
    assert left > W * 0.04 and right < W * 0.96
    assert abs((left + right) / 2 - W / 2) < W * 0.03


def test_short_caption_is_one_line_sized_for_a_tv_and_centred():
    overlay = CaptionOverlay("Smiling together", 1280, 720)
    assert overlay.lines == ["Smiling together"]
    assert overlay.size == pytest.approx(720 * 0.05, abs=1)
    mask = ink("Smiling together", 1280, 720)
    left, right = cols(mask)[0], cols(mask)[-1]
    assert abs((left + right) / 2 - 640) < 4
    assert len(np.flatnonzero(np.diff(rows(mask)) > 1)) == 0


def test_one_very_long_word_is_broken_to_fit():
    overlay = CaptionOverlay("a" * 400, 320, 240)
    assert len(overlay.lines) == 3 and overlay.lines[-1].endswith("…")
    mask = ink("a" * 400, 320, 240)
    assert cols(mask)[0] > 0 and cols(mask)[-1] < 319


@pytest.mark.parametrize("size", [(160, 120), (640, 360), (1920, 1080), (720, 1280)])
def test_band_darkens_only_the_bottom(size):
    width, height = size
    picture = textured(width, height)
    captioned = picture.copy()
    overlay = CaptionOverlay(LONG, width, height)
    overlay.apply(captioned)
    assert overlay.top > height / 2
    assert np.array_equal(captioned[:height // 2], picture[:height // 2])
    assert np.array_equal(captioned[:overlay.top], picture[:overlay.top])
    bottom = slice(height - max(2, height // 20), height)
    darker = picture[bottom].astype(int).mean() - captioned[bottom].astype(int).mean()
    assert darker > 20


def test_empty_caption_draws_nothing():
    picture = textured()
    overlay = CaptionOverlay(" \n ", W, H)
    assert overlay.text == "" and np.array_equal(overlay.apply(picture.copy()), picture)


def test_title_card_text_is_centred_on_a_calm_background():
    card = title_card("Waiting for his turn — Zoë’s", 640, 360)
    background = np.array([24, 28, 34])
    letters = np.abs(card.astype(int) - background).max(axis=2) > 40
    assert letters.sum() > 500
    r, c = rows(letters), cols(letters)
    assert abs((c[0] + c[-1]) / 2 - 320) < 6
    assert abs((r[0] + r[-1]) / 2 - 180) < 360 * 0.05
    assert (card[:r[0] - 2] == background).all() and (card[r[-1] + 3:] == background).all()
    assert (card.reshape(-1, 3) <= 240).all()  # light, not glaring white


def test_title_card_wraps_long_titles_inside_the_picture():
    card = title_card(LONG, 320, 240)
    letters = np.abs(card.astype(int) - [24, 28, 34]).max(axis=2) > 40
    c, r = cols(letters), rows(letters)
    assert c[0] > 320 * 0.05 and c[-1] < 320 * 0.95 and r[0] > 0 and r[-1] < 239
    assert 2 <= len(np.flatnonzero(np.diff(r) > 1)) + 1 <= 4


@pytest.fixture
def no_system_font(monkeypatch, tmp_path):
    monkeypatch.setattr(export_overlays, "FONT_FILES", ())
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match either
    export_overlays.caption_font_file.cache_clear()
    export_overlays.caption_font.cache_clear()
    yield
    export_overlays.caption_font_file.cache_clear()
    export_overlays.caption_font.cache_clear()


def test_without_a_system_font_pillow_builtin_type_is_used(no_system_font):
    assert export_overlays.caption_font_file() is None
    overlay = CaptionOverlay("It’s her turn", 1280, 720)
    mask = ink("It’s her turn", 1280, 720)
    assert overlay.size == 36 and mask.sum() > 200
    assert abs((cols(mask)[0] + cols(mask)[-1]) / 2 - 640) < 4
    assert (mask ^ ink("It?s her turn", 1280, 720)).sum() > 10
