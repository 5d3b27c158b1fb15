"""Clinical text never needs to be an argument: `--title -`, `--caption -`, `--text -` and a comment's
`-` read it from stdin (a real subprocess with a pipe), and `--help` says why."""

from __future__ import annotations

import subprocess

from tests.cli.conftest import ROOT, assert_refused, cli_command, cli_env, run_cli
from tests.videos import make_video
from vigstudio.app import editing
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService


def _piped(*args, text: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli_command(*args), env=cli_env(), cwd=ROOT, input=text, capture_output=True, text=True,
                          start_new_session=True, timeout=120)


def test_titles_captions_and_tag_text_from_stdin(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    add_case(service, "F-014")
    recording = import_recording(service, "F-014", make_video(tmp_path / "v.mp4", frames=20))
    service.close()
    lib = tmp_path / "lib"

    made = _piped("clip", "add", lib, "--recording", recording.id, "--start", 2, "--end", 9, "--title", "-",
                  text="Mum sings to Amy\n")
    assert made.returncode == 0, made.stderr
    clip_id = int(made.stdout)
    tagged = _piped("clip", "tag", lib, clip_id, "--principle", "P1", "--text", "-", text="looks up\nand smiles\n")
    assert tagged.returncode == 0, tagged.stderr
    still = _piped("still", "add", lib, "--recording", recording.id, "--frame", 4, "--caption", "-",
                   text="a shared smile")
    assert still.returncode == 0, still.stderr
    assert_refused(_piped("clip", "add", lib, "--recording", recording.id, "--start", 2, "--end", 9, "--title", "-",
                          text="two\nlines\n"), "single line")

    service = LibraryService()
    service.open(lib, passphrase)
    try:
        [clip] = [c.clip for c in editing.clips_of_session(service, recording.session_id)]
        assert clip.title == "Mum sings to Amy"
        with service.read() as repos:
            assert [a.text for a in repos.annotations.of_clip(clip.id)] == ["looks up\nand smiles"]
            assert [s.caption for s in repos.stills.of_session(recording.session_id)] == ["a shared smile"]
    finally:
        service.close()


def test_help_says_why():
    for args in (("clip", "add"), ("clip", "tag"), ("still", "add"), ("comment", "add")):
        shown = run_cli(*args, "--help", passphrase=None).stdout
        assert "process list" in " ".join(shown.split()), args


def test_a_comment_from_stdin(run_main, opened, monkeypatch, passphrase):
    import io

    from vigstudio.app import feedback

    _practice, supervisor, node = opened
    path = supervisor.path
    supervisor.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("the baby turns to Mum\nshe answers at once\n"))
    added = run_main("comment", "add", path, "--session", node.session.id, "-")
    assert added.returncode == 0, added.stderr
    service = LibraryService()
    service.open(path, passphrase)
    try:
        assert [c.text for c in feedback.comments(service, node.session.id)] == [
            "the baby turns to Mum\nshe answers at once"]
    finally:
        service.close()
