"""`vigstudio export ...` and `vigstudio review pin` as a user runs them (real subprocesses)."""

from __future__ import annotations

import av
import cv2
import pytest

from tests.app.test_review import make_review_session
from tests.cli.conftest import assert_refused, run_cli
from tests.conftest import PASSPHRASE
from tests.videos import read_frame_number
from vigstudio.app import review
from vigstudio.app.library import LibraryService


@pytest.fixture
def bare(tmp_path):
    """A library with a review session whose case has no consent recorded."""
    service = LibraryService()
    service.create(tmp_path / "lib", PASSPHRASE)
    session = make_review_session(service, tmp_path)
    service.close()
    return session


@pytest.fixture
def made(bare, tmp_path):
    """The same, with the family's consent to keep copies (what a plain export needs)."""
    result = run_cli("consent", "add", tmp_path / "lib", "F-014", "--scope", "keepsake", "--by", "HV")
    assert result.returncode == 0 and "keepsake" in result.stdout, result.stderr
    return bare


def audit_actions(library) -> list[tuple[str, str]]:
    service = LibraryService()
    service.open(library, PASSPHRASE, audit_now=False)
    try:
        with service.read() as repos:
            return [(e.action, e.object) for e in repos.audit.list()]
    finally:
        service.close()


def frame_numbers(path) -> list[int]:
    with av.open(str(path)) as container:
        return [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


def test_export_clip_and_still(made, tmp_path):
    library = tmp_path / "lib"
    out = tmp_path / "clip.mp4"
    result = run_cli("export", "clip", library, made.clip_ids[1], "--out", out, "--speed", "0.5", "--caption")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "outside the encrypted library" in result.stderr
    assert frame_numbers(out) == list(range(4, 12))

    png = tmp_path / "still.png"
    result = run_cli("export", "still", library, made.still_ids[0], "--out", png, "--caption")
    assert result.returncode == 0, result.stderr
    assert read_frame_number(cv2.cvtColor(cv2.imread(str(png)), cv2.COLOR_BGR2RGB)) == 24
    exports = [obj for action, obj in audit_actions(library) if action == "export"]
    assert len(exports) == 2 and exports[0].startswith(f"clip {made.clip_ids[1]} ")


def test_export_review(made, tmp_path):
    out = tmp_path / "review.mp4"
    result = run_cli("export", "review", tmp_path / "lib", "--session", made.session_id, "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0


def test_export_errors_are_one_line_and_leave_nothing(made, tmp_path):
    library = tmp_path / "lib"
    before = audit_actions(library)
    out = tmp_path / "out"
    out.mkdir()
    assert_refused(run_cli("export", "clip", library, 999, "--out", out / "x.mp4"), "unknown clip: 999")
    assert_refused(run_cli("export", "still", library, made.still_ids[0], "--out", out / "x.mp4"),
                   "must end in .png")
    assert_refused(run_cli("export", "clip", library, made.clip_ids[0], "--out", out / "x.mp4", "--training"),
                   "no 'training' consent")
    assert_refused(run_cli("export", "clip", library, made.clip_ids[0], "--out", tmp_path / "nope" / "x.mp4"),
                   "does not exist")
    assert list(out.iterdir()) == []
    assert audit_actions(library) == before  # refused commands leave no trace, not even the unlock


def test_plain_exports_are_refused_without_keepsake_consent(bare, tmp_path):
    library = tmp_path / "lib"
    out = tmp_path / "out"
    out.mkdir()
    before = audit_actions(library)
    refusals = [("export", "clip", library, bare.clip_ids[0], "--out", out / "c.mp4"),
                ("export", "still", library, bare.still_ids[0], "--out", out / "s.png"),
                ("export", "review", library, "--session", bare.session_id, "--out", out / "r.mp4")]
    for args in refusals:
        assert_refused(run_cli(*args), "case F-014 has no 'keepsake' consent recorded")
    assert run_cli("consent", "add", library, "F-014", "--scope", "training", "--by", "HV").returncode == 0
    assert_refused(run_cli(*refusals[0]), "no 'keepsake' consent")  # training is for blurred exports only
    assert run_cli("consent", "add", library, "F-014", "--scope", "keepsake", "--by", "HV").returncode == 0
    assert run_cli(*refusals[1]).returncode == 0 and (out / "s.png").is_file()
    assert run_cli("consent", "withdraw", library, "F-014", "--scope", "keepsake").returncode == 0
    assert_refused(run_cli(*refusals[0]), "case F-014 has no 'keepsake' consent: it was withdrawn on ")
    assert sorted(p.name for p in out.iterdir()) == ["s.png"]
    exports = [obj for action, obj in audit_actions(library)[len(before):] if action == "export"]
    assert len(exports) == 1 and exports[0].startswith(f"still {bare.still_ids[0]} ")


def test_review_pin_from_the_environment(made, tmp_path):
    library = tmp_path / "lib"
    result = run_cli("review", "pin", library, VIGSTUDIO_REVIEW_PIN="4711")
    assert result.returncode == 0, result.stderr
    assert_refused(run_cli("review", "pin", library, VIGSTUDIO_REVIEW_PIN="47"), "4 to 8 digits")
    assert_refused(run_cli("review", "pin", library), "no PIN given")
    service = LibraryService()
    service.open(library, PASSPHRASE)
    try:
        assert review.verify_exit(service, "4711") and not review.verify_exit(service, "47")
    finally:
        service.close()
