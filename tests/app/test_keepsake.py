"""The family's keepsake: real PDFs read back with pdftotext, real clips decoded, consent, audit."""

from __future__ import annotations

import av
import pytest

from tests.app.family_support import (
    LOOSE,
    ON_CLIP,
    ON_STILL,
    clinical_words,
    make_family,
    pdf_fonts,
    pdf_text,
)
from tests.videos import read_frame_number
from vigstudio.app import consent, keepsake
from vigstudio.app.cases import add_session
from vigstudio.app.consent import ConsentWithdrawn
from vigstudio.domain.errors import Cancelled, ConsentMissing, InvalidInput, VigError


@pytest.fixture
def family(service, tmp_path):
    made = make_family(service, tmp_path)
    consent.add(service, made.review.case_code, ["keepsake"], recorded_by="HV")
    return made


def export_events(service) -> list[str]:
    with service.read() as repos:
        return [e.object for e in repos.audit.list() if e.action == "export"]


def decoded_numbers(path) -> list[int]:
    with av.open(str(path)) as container:
        return [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


def test_keepsake_holds_the_review_gently(family, tmp_path):
    out = tmp_path / "out" / "keepsake.pdf"
    out.parent.mkdir()
    result = keepsake.make_keepsake(family.service, family.review.session_id, out, title="Zoë and me")
    assert result.pdf == out and result.clips == []
    text = pdf_text(out)
    # The cover, then the review order: "Turning", its still, "Waiting", the uncaptioned still.
    assert text.startswith("Zoë and me The moments we watched together")
    assert text.index("Turning") < text.index("She turns to you") < text.index("Waiting")
    for words in (ON_CLIP, ON_STILL, LOOSE):  # the parent's own words, each once, in quotes
        assert text.count(f"“{words}”") == 1
    assert text.index(ON_CLIP) < text.index("She turns to you") < text.index(ON_STILL)
    assert "In your words" in text and text.index("In your words") < text.index(LOOSE)
    assert "F-014" not in text and "Peekaboo" not in text  # no case code; only this session
    for word in clinical_words(family.service):
        assert word not in text, word
    assert result.pages == 6 and (result.stills, result.words) == (2, 3)  # cover, 4 moments, words
    fonts = pdf_fonts(out)
    assert fonts and all(embedded == "yes" for _, embedded in fonts) and all("DejaVu" in n for n, _ in fonts)
    assert b"F-014" not in out.read_bytes()  # not in the metadata either
    assert sorted(p.name for p in out.parent.iterdir()) == ["keepsake.pdf"]
    [event] = export_events(family.service)
    assert event == f"keepsake session {family.review.session_id} case F-014 clips 2 stills 2 words 3"
    assert "Zoë" not in event


def test_keepsake_clips_are_captioned_exact_mp4_files(family, tmp_path):
    films = tmp_path / "films"
    result = keepsake.make_keepsake(family.service, family.review.session_id, tmp_path / "k.pdf",
                                    clips_dir=films)
    assert [p.name for p in result.clips] == ["01 Turning.mp4", "02 Waiting.mp4"]
    assert sorted(p.name for p in films.iterdir()) == ["01 Turning.mp4", "02 Waiting.mp4"]
    assert decoded_numbers(films / "01 Turning.mp4") == list(range(20, 30))
    assert decoded_numbers(films / "02 Waiting.mp4") == list(range(4, 12))
    text = pdf_text(result.pdf)
    assert text.startswith(keepsake.DEFAULT_TITLE)
    assert "01 Turning.mp4" in text and "02 Waiting.mp4" in text
    events = export_events(family.service)
    assert len(events) == 3 and all(" caption" in e for e in events[:2])
    assert events[2].endswith("with clip files")


def test_keepsake_is_refused_without_or_after_withdrawn_consent(service, tmp_path):
    family = make_family(service, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ConsentMissing, match="case F-014 has no 'keepsake' consent"):
        keepsake.make_keepsake(service, family.review.session_id, out / "k.pdf", clips_dir=out / "films")
    consent.add(service, "F-014", ["storage", "supervision", "training"], recorded_by="HV")
    with pytest.raises(ConsentMissing, match="'keepsake'"):
        keepsake.make_keepsake(service, family.review.session_id, out / "k.pdf")
    consent.add(service, "F-014", ["keepsake"], recorded_by="HV")
    consent.withdraw(service, "F-014", "keepsake")
    with pytest.raises(ConsentWithdrawn):
        keepsake.make_keepsake(service, family.review.session_id, out / "k.pdf", clips_dir=out / "films")
    assert list(out.iterdir()) == [] and export_events(service) == []


def test_a_failed_keepsake_leaves_nothing(family, tmp_path):
    out = tmp_path / "out"
    out.mkdir()

    def cancel_in_the_second_clip(fraction, label):
        if fraction > 0.7:
            raise Cancelled("keepsake")

    with pytest.raises(Cancelled):
        keepsake.make_keepsake(family.service, family.review.session_id, out / "k.pdf", clips_dir=out / "films",
                               progress=cancel_in_the_second_clip)
    assert list(out.iterdir()) == []  # the first clip removed again, the new folder too
    (out / "films").mkdir()
    (out / "films" / "02 Waiting.mp4").write_bytes(b"another family's film")
    with pytest.raises(InvalidInput, match="already holds 02 Waiting.mp4"):
        keepsake.make_keepsake(family.service, family.review.session_id, out / "k.pdf", clips_dir=out / "films")
    assert (out / "films" / "02 Waiting.mp4").read_bytes() == b"another family's film"
    with pytest.raises(InvalidInput, match="must end in .pdf"):
        keepsake.make_keepsake(family.service, family.review.session_id, out / "k.png")
    with pytest.raises(VigError, match="does not exist"):
        keepsake.make_keepsake(family.service, family.review.session_id, tmp_path / "nowhere" / "k.pdf")
    empty = add_session(family.service, "F-014")
    with pytest.raises(InvalidInput, match="no clips or stills"):
        keepsake.make_keepsake(family.service, empty.id, out / "k.pdf")
    assert sorted(p.name for p in out.rglob("*")) == ["02 Waiting.mp4", "films"]
    # The first clip did reach the disk before the cancel removed it, and the log says so; no keepsake.
    [event] = export_events(family.service)
    assert event.startswith(f"clip {family.review.clip_ids[0]} ")


def test_titles_and_file_names():
    assert keepsake.keepsake_title("  Our   summer\nwith Zoe ") == "Our summer with Zoe"
    assert keepsake.keepsake_title("") == keepsake.keepsake_title(None) == keepsake.DEFAULT_TITLE
    with pytest.raises(InvalidInput, match="at most"):
        keepsake.keepsake_title("x" * 121)
    assert keepsake.clip_file_name(3, "She's/ turning: to you?") == "03 She s turning to you.mp4"
    assert keepsake.clip_file_name(1, "../..") == "01 film.mp4"
    assert keepsake.clip_file_name(2, "Zoë lächelt") == "02 Zoë lächelt.mp4"
