"""Referral, pathway, caseload and activity commands through the real command line (in-process)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from tests.cli.conftest import assert_refused


@pytest.fixture
def library(run_main, tmp_path):
    path = tmp_path / "lib"
    assert run_main("init", path).returncode == 0
    return path


def test_case_add_with_a_referral_enters_the_pathway_and_shows_in_the_caseload(run_main, library):
    assert run_main("case", "add", library, "F-060", "--referral", "health-visitor").returncode == 0
    data = json.loads(run_main("caseload", library, "--json").stdout)
    [case] = data["cases"]
    assert (case["code"], case["status"], case["pathway"]) == ("F-060", "open", "referred")
    assert case["referrals"][0]["source"] == "health_visitor" and case["referrals"][0]["decision"] is None
    assert case["days_waiting"] == 0 and "consent_missing" in case["outstanding"]
    listing = json.loads(run_main("list", library, "--json").stdout)
    assert listing["cases"][0]["referral"] == "health_visitor"


def test_referral_decide_status_and_refusals(run_main, library, monkeypatch):
    assert run_main("case", "add", library, "F-061").returncode == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("mum finding evenings very hard\n"))
    r = run_main("referral", "add", library, "F-061", "--received", "2026-01-05", "--source", "gp",
                 "--reason", "low-mood", "--reason", "birth-trauma", "--postnatal-born", "2025-12-01",
                 "--notes", "-")
    assert r.returncode == 0, r.stderr
    rid = int(r.stdout)
    assert run_main("referral", "decide", library, str(rid), "--decision", "accepted",
                    "--date", "2026-01-06").returncode == 0
    for stage, date in (("assessment", "2026-01-12"), ("in-intervention", "2026-01-26")):
        assert run_main("case", "status", library, "F-061", "--to", stage, "--date", date).returncode == 0
    assert_refused(run_main("case", "status", library, "F-061", "--to", "ended"), "say why it ended")
    assert run_main("case", "status", library, "F-061", "--to", "ended", "--reason", "moved-away").returncode == 0
    assert run_main("case", "status", library, "F-061", "--to", "closed").returncode == 0
    assert_refused(run_main("case", "status", library, "F-061", "--to", "in-intervention"),
                   "reopens only with a new referral")
    data = json.loads(run_main("referral", "list", library, "F-061", "--json").stdout)
    assert data["referrals"][0]["weeks"] == 5 and data["referrals"][0]["decision"] == "accepted"
    assert [s["stage"] for s in data["pathway"]] == ["referred", "assessment", "in_intervention", "ended", "closed"]
    assert json.loads(run_main("caseload", library, "--json").stdout)["cases"] == []
    assert_refused(run_main("referral", "add", library, "F-061", "--received", "2026-01-05", "--source", "pharmacy"),
                   "unknown referral source")


def test_activities_are_added_listed_edited_and_deleted(run_main, library):
    today = dt.date.today().isoformat()
    r = run_main("activity", "add", library, "--kind", "consultation", "--date", today, "--title",
                 "listening visits", "--minutes", "45", "--role", "health visitor", "--outcome", "advice")
    assert r.returncode == 0, r.stderr
    aid = int(r.stdout)
    assert run_main("activity", "add", library, "--kind", "training", "--date", today, "--title",
                    "Perinatal mental health for midwives", "--attendees", "14").returncode == 0
    assert run_main("activity", "edit", library, str(aid), "--minutes", "60").returncode == 0
    items = json.loads(run_main("activity", "list", library, "--json").stdout)["activities"]
    assert [(a["kind"], a["minutes"], a["attendees"]) for a in items] == [("consultation", 60, None),
                                                                         ("training", None, 14)]
    assert run_main("activity", "delete", library, str(aid)).returncode == 0
    assert len(json.loads(run_main("activity", "list", library, "--json").stdout)["activities"]) == 1
    assert_refused(run_main("activity", "add", library, "--kind", "training", "--date", today, "--title", " "),
                   "needs a title")


def test_report_activity_from_the_command_line(run_main, library, tmp_path):
    assert run_main("case", "add", library, "F-070", "--referral", "gp").returncode == 0
    today = dt.date.today()
    r = run_main("report", "activity", library, "--from", (today - dt.timedelta(days=30)).isoformat(),
                 "--to", today.isoformat(), "--out", tmp_path / "a.pdf", "--csv", tmp_path / "a.csv")
    assert r.returncode == 0, r.stderr
    assert "referrals,total,<5" in (tmp_path / "a.csv").read_text()
    assert "outside the encrypted library" in r.stderr


def test_case_close_with_a_summary_then_the_retention_review(run_main, library, monkeypatch):
    assert run_main("case", "add", library, "F-080", "--referral", "gp").returncode == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Worked on bath time; both enjoy it now.\n"))
    r = run_main("case", "close", library, "F-080", "--reason", "completed", "--offered", "2 VIG cycles",
                 "--note", "-")
    assert r.returncode == 0, r.stderr
    assert json.loads(run_main("caseload", library, "--json").stdout)["cases"] == []
    assert run_main("retention", "review", library, "F-080", "--action", "summary").stdout.strip() == \
        "0 recordings deleted"
    assert_refused(run_main("retention", "review", library, "NOPE", "--action", "keep"), "unknown case")


def test_retention_period_shown_set_in_weeks_or_years_and_back_to_the_default(run_main, library):
    shown = run_main("retention", "show", library).stdout
    assert "1305 weeks (about 25 years, the default)" in shown and "Records Management Code" in shown
    assert "8 weeks" in run_main("retention", "set", library, "8").stdout
    assert "8 weeks before" in run_main("retention", "show", library).stdout
    assert "1044 weeks (about 20 years)" in run_main("retention", "set", library, "20y").stdout
    assert "the default)" in run_main("retention", "set", library, "default").stdout
    assert run_main("retention", "set", library, "soon").returncode == 2
    assert_refused(run_main("retention", "set", library, "-3"), "between 0 and")


def test_referrals_steps_and_closing_summaries_are_listed_corrected_and_deleted(run_main, library, monkeypatch):
    assert run_main("case", "add", library, "F-090").returncode == 0
    rid = run_main("referral", "add", library, "F-090", "--received", "2026-01-05", "--source", "gp").stdout.strip()
    monkeypatch.setattr("sys.stdin", io.StringIO("struggling since the birth\n"))
    r = run_main("referral", "edit", library, rid, "--received", "2026-01-07", "--source", "health-visitor",
                 "--reason", "birth-trauma", "--postnatal-born", "2025-12-10", "--notes", "-", "--urgency", "soon")
    assert r.returncode == 0, r.stderr
    [ref] = json.loads(run_main("referral", "list", library, "F-090", "--json").stdout)["referrals"]
    assert (ref["received"], ref["source"], ref["reasons"], ref["weeks"], ref["urgency"]) == (
        "2026-01-07", "health_visitor", ["birth_trauma"], 4, "soon")
    assert run_main("referral", "edit", library, rid, "--no-perinatal").returncode == 0
    assert json.loads(run_main("referral", "list", library, "F-090", "--json").stdout)["referrals"][0][
        "perinatal"] is None
    assert_refused(run_main("referral", "edit", library, rid, "--source", "pharmacy"), "unknown referral source")

    for stage, date, reason in (("in-intervention", "2026-01-20", ""), ("ended", "2026-04-01", "completed")):
        assert run_main("case", "status", library, "F-090", "--to", stage, "--date", date,
                        "--reason", reason).returncode == 0
    steps = json.loads(run_main("pathway", "list", library, "F-090", "--json").stdout)["pathway"]
    assert [(s["stage"], s["date"]) for s in steps] == [("referred", "2026-01-07"), ("in_intervention", "2026-01-20"),
                                                         ("ended", "2026-04-01")]
    assert run_main("pathway", "edit", library, str(steps[2]["id"]), "--reason", "moved-away",
                    "--date", "2026-04-03").returncode == 0
    assert "2026-04-03\tended\tmoved_away" in run_main("pathway", "list", library, "F-090").stdout
    assert_refused(run_main("pathway", "delete", library, str(steps[1]["id"])), "only the case's last step")
    assert run_main("pathway", "delete", library, str(steps[2]["id"])).returncode == 0
    assert len(json.loads(run_main("pathway", "list", library, "F-090", "--json").stdout)["pathway"]) == 2

    assert run_main("case", "status", library, "F-090", "--to", "ended", "--date", "2026-04-03",
                    "--reason", "completed").returncode == 0
    assert run_main("case", "close", library, "F-090", "--reason", "completed", "--note", "Going well.").returncode == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Mum names what her baby shows her.\n"))
    assert run_main("closing", "edit", library, "F-090", "--offered", "2 VIG cycles", "--note", "-").returncode == 0
    summary = json.loads(run_main("closing", "show", library, "F-090", "--json").stdout)["summary"]
    assert (summary["reason"], summary["offered"], summary["note"]) == (
        "completed", "2 VIG cycles", "Mum names what her baby shows her.")
    assert "offered: 2 VIG cycles" in run_main("closing", "show", library, "F-090").stdout
    assert run_main("closing", "delete", library, "F-090").returncode == 0
    assert json.loads(run_main("closing", "show", library, "F-090", "--json").stdout)["summary"] is None
    assert_refused(run_main("closing", "delete", library, "F-090"), "no closing summary")
    assert run_main("referral", "delete", library, rid).returncode == 0
    assert json.loads(run_main("referral", "list", library, "F-090", "--json").stdout)["referrals"] == []
