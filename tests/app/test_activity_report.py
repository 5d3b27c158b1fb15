"""The service activity report's numbers, checked by reading the PDF and the CSV back."""

from __future__ import annotations

import datetime as dt
import subprocess

from vigstudio.app import activities, pathway
from vigstudio.app.activity_report import gather, make_activity_report, rows, shown
from vigstudio.app.cases import add_case

D = dt.date


def _build(service):
    for n in range(7):
        code = f"A-{n}"
        add_case(service, code)
        ref = pathway.add_referral(service, code, D(2026, 1, 5 + n), "health-visitor" if n < 5 else "gp",
                                   reasons=["low-mood"] if n % 2 else ["anxiety", "bonding"])
        pathway.decide(service, ref.id, "accepted" if n < 6 else "declined", on=D(2026, 1, 20))
        if n < 6:
            pathway.set_stage(service, code, "assessment", on=D(2026, 1, 15 + 2 * n))  # waits 10, 11 ... 15
            pathway.set_stage(service, code, "in-intervention", on=D(2026, 2, 10))
        if n < 5:
            pathway.set_stage(service, code, "ended", on=D(2026, 5, 1), reason="completed")
    for n in range(6):
        activities.add_activity(service, "consultation", D(2026, 2, 1 + n), "listening visits",
                                team="North HV team", minutes=30)
    activities.add_activity(service, "training", D(2026, 3, 3), "Perinatal mental health", role="midwives",
                            attendees=18)


def test_counts_waiting_and_small_numbers(service):
    _build(service)
    report = gather(service, D(2026, 1, 1), D(2026, 6, 30))
    assert report.referrals == 7 and report.by_source == {"Health visitor": 5, "GP": 2}
    assert (report.accepted, report.decided) == (6, 7)
    assert sorted(report.waits) == [10, 11, 12, 13, 14, 15]  # the declined referral waits for nothing
    assert report.completed == {"vig": 5} or report.completed == {"none": 5}
    assert report.consultation_minutes == 180 and report.trained == {"midwives": 18}
    assert shown(2) == "<5" and shown(0) == "0" and shown(5) == "5"
    waiting = [value for section, _item, value in rows(report) if section.startswith("waiting")]
    assert waiting == ["12.5", "10–15"]
    report.waits = report.waits[:4]  # four families' waits: their median and range would give them away
    assert [value for section, _item, value in rows(report) if section.startswith("waiting")] == [
        "suppressed (<5)", "suppressed (<5)"]


def test_pdf_and_csv_say_the_same_numbers_and_suppress_small_ones(service, tmp_path):
    _build(service)
    files = make_activity_report(service, tmp_path / "a.pdf", D(2026, 1, 1), D(2026, 6, 30),
                                 csv_path=tmp_path / "a.csv")
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    csv_text = files.csv.read_text()
    assert "referrals by source,Health visitor,5" in csv_text and "referrals by source,GP,<5" in csv_text
    assert "decisions,accepted of decided,6 of 7 (86%)" in csv_text
    assert "Service activity" in text and "6 of 7 (86%)" in text and "<5" in text
    assert "consultations,North HV team · listening visits,6" in csv_text
    for n in range(7):
        assert f"A-{n}" not in text and f"A-{n}" not in csv_text


def _sessions(service):
    """A WWW course and a VIG intervention with every kind of attendance, inside and outside the period."""
    from vigstudio.app.www import courses

    www = courses.add_intervention(service, "A-1", "www", started_on=D(2026, 2, 1))
    vig = courses.add_intervention(service, "A-2", "vig", started_on=D(2026, 2, 1))
    day = iter(D(2026, 2, 1) + dt.timedelta(days=n) for n in range(200))
    for attendance, by, count in (("attended", None, 12), ("cancelled", "family", 5), ("cancelled", "service", 5)):
        for _ in range(count):
            courses.add_session(service, www.id, next(day), attendance=attendance, cancelled_by=by)
    for attendance, count in (("attended", 6), ("dna", 2), ("planned", 1)):
        for _ in range(count):
            courses.add_session(service, vig.id, next(day), attendance=attendance)
    courses.add_session(service, www.id, D(2026, 7, 2), attendance="dna")  # after the period: not counted
    courses.add_session(service, vig.id, D(2025, 12, 30), attendance="attended")  # before it


def test_attendance_by_intervention_kind_with_rates_and_small_numbers_suppressed(service, tmp_path):
    _build(service)
    _sessions(service)
    report = gather(service, D(2026, 1, 1), D(2026, 6, 30))
    www, vig = report.attendance["www"], report.attendance["vig"]
    assert (www.offered, www.attended, www.cancelled_by_family, www.cancelled_by_service, www.not_attended) == (
        22, 12, 5, 5, 0)
    assert (vig.offered, vig.attended, vig.not_attended, vig.planned) == (8, 6, 2, 1)
    files = make_activity_report(service, tmp_path / "a.pdf", D(2026, 1, 1), D(2026, 6, 30),
                                 csv_path=tmp_path / "a.csv")
    csv_text = files.csv.read_text()
    # WWW: 12 attended of the 17 the family could attend (the service cancelled 5 of 22): 71%
    for line in ("attendance (WWW sessions),offered,22", "attendance (WWW sessions),attended,12",
                 "attendance (WWW sessions),cancelled by the family,5",
                 "attendance (WWW sessions),cancelled by the service,5",
                 "attendance (WWW sessions),not attended,0", "attendance (WWW sessions),attendance rate,71%",
                 "attendance (VIG sessions),offered,8", "attendance (VIG sessions),not attended,<5",
                 # 6 of 8 would give the 2 missed sessions away
                 "attendance (VIG sessions),attendance rate,suppressed",
                 "attendance (VIG sessions),\"planned, no outcome recorded yet\",<5"):
        assert line in csv_text, line
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "sessions VIG WWW" in lines  # one table, a column per intervention kind
    for row in ("offered 8 22", "attended 6 12", "cancelled by the family 0 5", "cancelled by the service 0 5",
                "not attended <5 0", "attendance rate suppressed 71%"):
        assert row in lines, row
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(files.pdf), str(tmp_path / "page")], check=True)
    assert sorted(p.name for p in tmp_path.glob("page-*.png"))  # the pages render (looked at by hand too)
