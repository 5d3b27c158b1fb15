"""The editing commands refuse, with one line and exit 2, every edit of a supervision case's clips and stills."""

from __future__ import annotations

from tests.app.test_read_only_supervision import MESSAGE
from tests.bundle.support import open_in_supervisor
from tests.cli.conftest import assert_refused


def test_the_cli_refuses_supervision_edits_with_one_line(tmp_path, passphrase, run_main):
    practice, supervisor, node = open_in_supervisor(tmp_path, passphrase)
    own = practice.service.path
    practice.service.close()
    clip = min(node.clips, key=lambda c: c.position)
    path = supervisor.path
    supervisor.close()
    for args in (("clip", "trim", path, clip.id, "--start", 1, "--end", clip.end_frame),
                 ("clip", "delete", path, clip.id),
                 ("clip", "tag", path, clip.id, "--principle", "P1"),
                 ("clip", "add", path, "--recording", clip.recording_id, "--start", 0, "--end", 2),
                 ("still", "add", path, "--recording", clip.recording_id, "--frame", 1)):
        assert_refused(run_main(*args, passphrase=passphrase), MESSAGE)
    # the practitioner's own clips: trimmed and deleted from the command line
    result = run_main("clip", "trim", own, practice.clip_ids[0], "--start", 6, "--end", 17, passphrase=passphrase)
    assert (result.returncode, result.stdout) == (0, f"clip {practice.clip_ids[0]}: frames 6-17\n")
    result = run_main("clip", "delete", own, practice.clip_ids[1], passphrase=passphrase)
    assert (result.returncode, result.stdout) == (0, f"clip {practice.clip_ids[1]} deleted\n")
