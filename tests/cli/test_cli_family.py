"""`vigstudio keepsake` and `vigstudio letter` as a user runs them (real subprocesses, real PDFs)."""

from __future__ import annotations

import subprocess

import pytest

from tests.app.family_support import ON_CLIP, QUESTION_1, make_family, pdf_text
from tests.cli.conftest import ROOT, assert_refused, cli_command, cli_env, run_cli
from tests.conftest import PASSPHRASE
from vigstudio.app.library import LibraryService


@pytest.fixture
def made(tmp_path):
    service = LibraryService()
    service.create(tmp_path / "lib", PASSPHRASE)
    family = make_family(service, tmp_path)
    service.close()
    return family


def run_with_input(*args, text: str) -> subprocess.CompletedProcess:
    """Like run_cli, with `text` on standard input (what a user types at the title prompt)."""
    return subprocess.run(cli_command(*args), env=cli_env(), cwd=ROOT, input=text, capture_output=True,
                          text=True, start_new_session=True, timeout=120)


def add_keepsake_consent(library) -> None:
    result = run_cli("consent", "add", library, "F-014", "--scope", "keepsake", "--by", "HV")
    assert result.returncode == 0, result.stderr


def test_keepsake_and_letter_are_refused_without_keepsake_consent(made, tmp_path):
    library, out = tmp_path / "lib", tmp_path / "out"
    out.mkdir()
    session = made.review.session_id
    assert_refused(run_cli("keepsake", library, "--session", session, "--out", out / "k.pdf", "--clips",
                           out / "films"), "case F-014 has no 'keepsake' consent recorded")
    assert_refused(run_cli("letter", library, "--case", "F-014", "--out", out / "l.pdf"),
                   "case F-014 has no 'keepsake' consent recorded")
    assert_refused(run_cli("letter", library, "--case", "F-014", "--draft-out", out / "l.md"),
                   "no 'keepsake' consent")
    assert_refused(run_cli("keepsake", library, "--session", session, "--out", out / "k.mp4"), "must end in .pdf")
    assert_refused(run_cli("letter", library, "--case", "F-014"), "--draft-out")
    assert list(out.iterdir()) == []


def test_keepsake_with_a_title_typed_at_the_prompt(made, tmp_path):
    library = tmp_path / "lib"
    add_keepsake_consent(library)
    out, films = tmp_path / "keepsake.pdf", tmp_path / "films"
    result = run_with_input("keepsake", library, "--session", made.review.session_id, "--out", out,
                            "--clips", films, "--ask-title", text="Zoë and me\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [str(out), str(films / "01 Turning.mp4"), str(films / "02 Waiting.mp4")]
    assert "Title for the keepsake" in result.stderr and "outside the encrypted library" in result.stderr
    text = pdf_text(out)
    assert text.startswith("Zoë and me") and ON_CLIP in text and "F-014" not in text


def test_letter_draft_then_pdf_from_the_edited_text(made, tmp_path):
    library = tmp_path / "lib"
    add_keepsake_consent(library)
    draft = tmp_path / "letter.md"
    result = run_cli("letter", library, "--case", "F-014", "--draft-out", draft)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(draft) and QUESTION_1 in draft.read_text(encoding="utf-8")
    draft.write_text(draft.read_text(encoding="utf-8").replace("Dear …,", "Dear Sam,"), encoding="utf-8")
    out = tmp_path / "letter.pdf"
    result = run_cli("letter", library, "--case", "F-014", "--intervention", made.intervention_id,
                     "--text", draft, "--out", out)
    assert result.returncode == 0, result.stderr
    text = pdf_text(out)
    assert "Dear Sam," in text and QUESTION_1 in text and "F-014" not in text
    assert_refused(run_cli("letter", library, "--case", "F-014", "--text", tmp_path / "missing.md", "--out", out),
                   "cannot read")
    assert_refused(run_cli("letter", library, "--case", "F-014", "--text", draft, "--draft-out", draft),
                   "not both")
