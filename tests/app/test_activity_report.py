"""The service activity report's numbers, checked by reading the PDF and the CSV back."""

from __future__ import annotations

import datetime as dt
import subprocess

from vigstudio.app import activities, pathway
from vigstudio.app.activity_report import gather, make_activity_report, shown
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
