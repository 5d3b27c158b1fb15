"""The training record counts cycles from the library and supervisions from the log against the stage
requirements (a real library, real recordings)."""

from __future__ import annotations

import datetime as dt

import pytest

from vigstudio.app import editing, keys, training
from vigstudio.app.cases import add_case, add_session
from vigstudio.app.cycles import start_cycle
from vigstudio.app.importing import import_recording
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.model import SessionKind

D = dt.date


def _complete_cycle(service, code, video, review_on, *, new_cycle=True):
    """Filming with a recording, a clip, then the shared review: one cycle the route counts."""
    if new_cycle:
        start_cycle(service, code, "To enjoy playing together")
    recording = import_recording(service, code, video)
    editing.add_clip(service, recording.id, 2, 20, "Waiting for her turn")
    add_session(service, code, SessionKind.SHARED_REVIEW, date=review_on)


def _add_contact(service, name):
    import pyrage

    recipient = str(pyrage.x25519.Identity.generate().to_public())
    keys.add_contact(service, name, recipient)


def test_progress_counts_completed_cycles_clients_and_hours(service, video):
    training.enter_stage(service, 1, D(2026, 1, 1))
    for code in ("T-1", "T-2"):
        add_case(service, code)
    _complete_cycle(service, "T-1", video, D(2026, 2, 1))
    _complete_cycle(service, "T-1", video, D(2026, 3, 1))
    _complete_cycle(service, "T-2", video, D(2026, 3, 5))
    start_cycle(service, "T-2")  # a cycle with no shared review yet does not count
    import_recording(service, "T-2", video)
    _add_contact(service, "Dr Ada")
    for month in (1, 2, 3):
        training.add_supervision(service, D(2026, month, 20), "dr ada", 60, discussed="receiving initiatives",
                                 goals="more waiting")
    [stage] = training.progress(service).stages
    assert (len(stage.cycles), stage.clients, stage.hours) == (3, ["T-1", "T-2"], 3.0)
    assert stage.missing() == ["3 more VIG cycles", "4 more hours of supervision"]
    assert stage.supervisions[0].supervisor == "Dr Ada"  # the contact's own spelling


def test_a_later_stage_counts_only_further_clients(service, video):
    training.enter_stage(service, 1, D(2026, 1, 1))
    for code in ("T-1", "T-3"):
        add_case(service, code)
    _complete_cycle(service, "T-1", video, D(2026, 2, 1))
    training.enter_stage(service, 2, D(2026, 4, 1))
    _complete_cycle(service, "T-1", video, D(2026, 5, 1))  # T-1 was counted in stage 1
    _complete_cycle(service, "T-3", video, D(2026, 5, 2))
    first, second = training.progress(service).stages
    assert len(first.cycles) == 1 and len(second.cycles) == 2
    assert second.clients == ["T-3"] and "2 more further clients" in second.missing()
    data = training.progress_json(training.progress(service))
    assert data["stage"] == 2 and data["stages"][1]["done"]["clients"] == 1


def test_refusals(service):
    with pytest.raises(InvalidInput, match="not one of this library's contacts"):
        training.add_supervision(service, D(2026, 1, 2), "Nobody", 60)
    _add_contact(service, "Dr Ada")
    with pytest.raises(InvalidInput, match="1-480 minutes"):
        training.add_supervision(service, D(2026, 1, 2), "Dr Ada", 0)
    with pytest.raises(InvalidInput, match="unknown training stage"):
        training.enter_stage(service, 4)
    training.enter_stage(service, 2, D(2026, 3, 1))
    with pytest.raises(InvalidInput, match="cannot begin before"):
        training.enter_stage(service, 3, D(2026, 2, 1))
    training.set_statement(service, "What I learnt about waiting.")
    assert training.statement(service) == "What I learnt about waiting."


def test_portfolio_pdf_names_case_codes_only(service, video, tmp_path):
    import subprocess

    from vigstudio.app.portfolio import make_portfolio

    add_case(service, "T-9", name="Jane Family")
    training.enter_stage(service, 1, D(2026, 1, 1))
    _complete_cycle(service, "T-9", video, D(2026, 2, 1))
    _add_contact(service, "Dr Ada")
    training.add_supervision(service, D(2026, 2, 3), "Dr Ada", 60, goals="wait longer", reflection="I rushed")
    training.set_statement(service, "Waiting is the hardest part.")
    text = subprocess.run(["pdftotext", "-layout", str(make_portfolio(service, tmp_path / "p.pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Training portfolio" in text and "T-9" in text and "Jane" not in text
    assert "Goals agreed: wait longer" in text and "Waiting is the hardest part." in text
    assert "5 more VIG cycles" in text
