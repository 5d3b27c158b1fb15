"""Two real libraries of one service: a practitioner with families' questionnaires and a lead with
their own, who exchanged contact cards; helpers that read a bundle's plaintext back."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from pathlib import Path

import pyrage

from vigstudio.app import keys, outcomes
from vigstudio.app.cases import add_case, add_session, find_session
from vigstudio.app.library import LibraryService

FAMILY_NAME = "Ottoline Quennell-Brabazon"
HELPING_QUESTION = "How can I help Rosalind settle at bedtime"
GOAL_TEXT = "Bath time without tears for Rosalind"
# (code, PHQ-9 before, after or None when lost, GAD-7 before, after)
PRACTITIONER_FAMILIES = [
    ("PX-SECRET-01", 18, 7, 12, 5), ("PX-SECRET-02", 15, 12, 9, 9), ("PX-SECRET-03", 21, 9, 15, 6),
    ("PX-SECRET-04", 11, 4, 8, 3), ("PX-SECRET-05", 14, 13, 10, 11), ("PX-SECRET-06", 19, None, 13, None),
]
LEAD_FAMILIES = [
    ("LD-OWN-01", 16, 6, 11, 4), ("LD-OWN-02", 12, 10, 9, 7), ("LD-OWN-03", 20, 8, 14, 6),
    ("LD-OWN-04", 13, 13, 8, 9),
]


def phq(total: int) -> list[int]:
    """Nine PHQ-9 answers adding up to `total` (item 9 always 0: no risk flag)."""
    answers = [0] * 9
    for n in range(total):
        answers[n % 8] += 1
    return answers


def gad(total: int) -> list[int]:
    return [total // 7 + (i < total % 7) for i in range(7)]


def add_family(service: LibraryService, code: str, phq_before: int, phq_after: int | None, gad_before: int,
               gad_after: int | None, *, name: str | None = None, pre_day: dt.date = dt.date(2026, 1, 13),
               post_day: dt.date = dt.date(2026, 4, 22)) -> int:
    """Adds the case with a filming session and its questionnaires; returns the session's cycle id."""
    add_case(service, code, name=name)
    session = add_session(service, code)
    outcomes.add_completion(service, code, "PHQ-9", "pre", answers=phq(phq_before), date=pre_day)
    outcomes.add_completion(service, code, "GAD-7", "pre", answers=gad(gad_before), date=pre_day)
    if phq_after is not None:
        outcomes.add_completion(service, code, "PHQ-9", "post", answers=phq(phq_after), date=post_day)
    if gad_after is not None:
        outcomes.add_completion(service, code, "GAD-7", "post", answers=gad(gad_after), date=post_day)
    cycle_id = find_session(service, session.id).cycle_id
    assert cycle_id is not None
    return cycle_id


def practitioner(tmp_path: Path, passphrase: str) -> LibraryService:
    service = LibraryService()
    service.create(tmp_path / "practitioner", passphrase)
    cycles = [add_family(service, code, *scores, name=FAMILY_NAME if n == 0 else None)
              for n, (code, *scores) in enumerate(PRACTITIONER_FAMILIES)]
    cycle_id = cycles[0]
    with service.edit() as repos:
        cycle = repos.cycles.get(cycle_id)
        cycle.helping_question = HELPING_QUESTION
        repos.cycles.update(cycle)
    goal = outcomes.add_goal(service, cycle_id, GOAL_TEXT)
    outcomes.rate_goal(service, goal.id, "start", 2)
    outcomes.rate_goal(service, goal.id, "end", 8)
    return service


def lead(tmp_path: Path, passphrase: str) -> LibraryService:
    service = LibraryService()
    service.create(tmp_path / "lead", passphrase)
    keys.identity(service)
    for code, *scores in LEAD_FAMILIES:
        add_family(service, code, *scores, pre_day=dt.date(2026, 2, 3), post_day=dt.date(2026, 5, 19))
    return service


def introduce(practitioner: LibraryService, lead: LibraryService) -> None:
    keys.add_contact(practitioner, "Service Lead", keys.contact_card(lead), "supervisor")
    keys.add_contact(lead, "HV Practitioner", keys.contact_card(practitioner), "practitioner")


def plaintext(bundle: Path, lead: LibraryService) -> bytes:
    return bytes(pyrage.decrypt(bundle.read_bytes(), [keys.identity(lead)]))


def members(plain: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


def outcomes_doc(bundle: Path, lead: LibraryService) -> dict:
    return json.loads(members(plaintext(bundle, lead))["outcomes.json"])


def rebuilt(plain: bytes, change) -> bytes:
    """The tar with `change(name, data) -> data` applied to each member (sizes follow)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar, \
            tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as new:
        for info in tar:
            data = change(info.name, tar.extractfile(info).read())
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return out.getvalue()
