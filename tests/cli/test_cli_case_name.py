"""A family's name is asked at a prompt, never taken from the command line (others can read argv)."""

import io
import json

from vigstudio.app.cases import find_case
from vigstudio.app.library import LibraryService


def test_case_name_is_asked_not_passed_in_argv(run_main, monkeypatch, tmp_path, passphrase):
    library = tmp_path / "lib"
    assert run_main("init", str(library)).returncode == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Smith Family\n"))
    outcome = run_main("case", "add", str(library), "F-014", "--ask-name", "--referral", "health visitor")
    assert outcome.returncode == 0, outcome.stderr
    assert "Smith" not in outcome.stdout

    outcome = run_main("case", "add", str(library), "F-015", "--name", "Jones")
    assert outcome.returncode == 2  # refused by argparse: there is no --name option

    with LibraryService() as service:
        service.open(library, passphrase)
        case = find_case(service, "F-014")
        assert case.name == "Smith Family"
        assert case.referral == "health_visitor"

    listing = json.loads(run_main("list", str(library), "--json").stdout)
    assert [c["code"] for c in listing["cases"]] == ["F-014"]
