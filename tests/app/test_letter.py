"""The closing letter: a draft from the intervention, the PDF from the edited text, consent, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.family_support import (
    LATER,
    LOOSE,
    ON_CLIP,
    QUESTION_1,
    QUESTION_2,
    clinical_words,
    make_family,
    pdf_fonts,
    pdf_text,
)
from vigstudio.app import consent, letter
from vigstudio.app.cases import add_case
from vigstudio.app.consent import ConsentWithdrawn
from vigstudio.domain.errors import ConsentMissing, InvalidInput


@pytest.fixture
def family(service, tmp_path):
    made = make_family(service, tmp_path)
    consent.add(service, "F-014", ["keepsake"], recorded_by="HV")
    return made


def export_events(service) -> list[str]:
    with service.read() as repos:
        return [e.object for e in repos.audit.list() if e.action == "export"]


def test_the_draft_gathers_the_whole_intervention(family, tmp_path):
    path = letter.write_draft(family.service, "F-014", tmp_path / "letter.md")
    text = path.read_text(encoding="utf-8")
    assert f"“{QUESTION_1}”" in text and f"Later you asked: “{QUESTION_2}”" in text
    assert "“Turning” and “Waiting”" in text and "“Peekaboo”" in text
    still_in, still_out = family.review.still_ids
    laugh, ball = family.second_still_ids
    # One still per cycle chosen (its first captioned one); the others offered as notes to un-comment.
    assert f"\n[still {still_in}]\n" in text and f"\n[still {laugh}]\n" in text
    assert f"%% [still {still_out}]" in text and f"%% [still {ball}]  “Mia reaches for the ball”" in text
    assert f"You said: “{ON_CLIP}”" in text and "goals" in text.lower()
    for word in clinical_words(family.service):  # the draft is for the family too: no codes to delete
        assert word not in text.replace("case F-014", ""), word
    assert export_events(family.service) == [f"letter draft case F-014 intervention {family.intervention_id}"]


def test_the_pdf_is_made_from_the_edited_text(family, tmp_path):
    draft = letter.draft_text(family.service, "F-014")
    _, ball = family.second_still_ids
    edited = (draft.replace("Dear …,", "Dear Sam,")
              .replace(f"%% [still {ball}]", f"[still {ball}]")
              .replace("%% your name", "Alex, your health visitor")
              + "\nYou found your own way of waiting for her, and she noticed.\n")
    out = tmp_path / "letter.pdf"
    result = letter.make_letter(family.service, "F-014", out, text=edited, date=dt.date(2026, 7, 3))
    assert result.path == out and result.stills == 3
    text = pdf_text(out)
    assert text.startswith("3 July 2026 Dear Sam,")
    for words in (QUESTION_1, QUESTION_2, ON_CLIP, LATER, "She turns to you", "You both laugh",
                  "Mia reaches for the ball", "You found your own way of waiting for her, and she noticed.",
                  "Alex, your health visitor", "What I saw", "In your words"):
        assert words in text, words
    assert LOOSE not in text  # only the first few of the parent's words are offered
    assert "%%" not in text and "[still" not in text and "F-014" not in text and "vigstudio" not in text
    for word in clinical_words(family.service):
        assert word not in text, word
    assert b"F-014" not in out.read_bytes()
    assert all(embedded == "yes" for _, embedded in pdf_fonts(out))
    assert export_events(family.service)[-1] == "letter case F-014 stills 3"


def test_letter_text_format(family, tmp_path):
    blocks = letter.parse("%% note\n# Hello\nline one\nline two\n\n[still 7]\n  [ STILL 8 ]  “its caption”\npara\n%% end")
    assert blocks == [("heading", "Hello"), ("paragraph", "line one\nline two"), ("still", 7), ("still", 8),
                      ("paragraph", "para")]
    with pytest.raises(InvalidInput, match="no words"):
        letter.parse("%% only notes\n\n[still 3]\n")
    with pytest.raises(InvalidInput, match="at most"):
        letter.parse("x" * 60_001)
    out = tmp_path / "letter.pdf"
    with pytest.raises(InvalidInput, match="still 999 is not one of case F-014's stills"):
        letter.make_letter(family.service, "F-014", out, text="Dear you,\n[still 999]\n")
    other = add_case(family.service, "F-099")
    with pytest.raises(InvalidInput, match="intervention .* is not one of case F-099's"):
        letter.draft_text(family.service, other.code, family.intervention_id)
    with pytest.raises(InvalidInput, match="has no intervention"):
        letter.draft_text(family.service, other.code)
    assert not out.exists()


def test_letter_is_refused_without_keepsake_consent(service, tmp_path):
    make_family(service, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ConsentMissing, match="case F-014 has no 'keepsake' consent"):
        letter.write_draft(service, "F-014", out / "letter.md")
    with pytest.raises(ConsentMissing):
        letter.make_letter(service, "F-014", out / "letter.pdf", text="Dear you,")
    consent.add(service, "F-014", ["keepsake"], recorded_by="HV")
    consent.withdraw(service, "F-014", "keepsake")
    with pytest.raises(ConsentWithdrawn):
        letter.make_letter(service, "F-014", out / "letter.pdf")
    assert list(out.iterdir()) == [] and export_events(service) == []
    with pytest.raises(InvalidInput, match="must end in .txt or .md"):
        letter.write_draft(service, "F-014", out / "letter.pdf")
