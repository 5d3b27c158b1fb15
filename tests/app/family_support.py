"""What the keepsake and letter tests share: a two-cycle intervention with reflections, and PDF reading.

PDFs are read back with poppler's `pdftotext` and `pdffonts` (poppler-utils, in scripts/setup).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.app.test_review import ReviewSession, make_review_session
from tests.videos import make_video
from vigstudio.app import editing, review
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import Cycle, Session
from vigstudio.domain.principles import load_catalogue

QUESTION_1 = "How can I help Mia settle when she is upset?"
QUESTION_2 = "How can we enjoy playing together?"
ON_CLIP = "I didn't know she was watching me so closely."
ON_STILL = "She waits for me."
LOOSE = "I want to remember this — that we can be calm together."
LATER = "We were really having fun, weren't we."


@dataclass
class Family:
    review: ReviewSession  # cycle 1: clips "Turning", "Waiting"; stills "She turns to you" and uncaptioned
    second_session_id: int  # cycle 2: clip "Peekaboo"; stills "You both laugh", "Mia reaches for the ball"
    second_still_ids: list[int]
    intervention_id: int

    @property
    def service(self) -> LibraryService:
        return self.review.service


def make_family(service: LibraryService, folder: Path) -> Family:
    first = make_review_session(service, folder)
    with service.read() as repos:
        cycle_1 = repos.cycles.get(repos.sessions.get(first.session_id).cycle_id)
    editing.set_helping_question(service, cycle_1.id, QUESTION_1)
    review.add_reflection(service, first.session_id, ON_CLIP, clip_id=first.clip_ids[0], frame=24)
    review.add_reflection(service, first.session_id, ON_STILL, still_id=first.still_ids[0], frame=24)
    review.add_reflection(service, first.session_id, LOOSE)
    with service.edit() as repos:
        cycle_2 = repos.cycles.add(Cycle(cycle_1.intervention_id, 2, helping_question=QUESTION_2))
        second = repos.sessions.add(Session(cycle_2.id))
    recording = import_recording(service, first.case_code, make_video(folder / "second.mp4", frames=40),
                                 session_id=second.id)
    editing.add_clip(service, recording.id, 10, 30, "Peekaboo")
    laugh = editing.add_still(service, recording.id, 15, "You both laugh")
    ball = editing.add_still(service, recording.id, 35, "Mia reaches for the ball")
    review.add_reflection(service, second.id, LATER)
    return Family(first, second.id, [laugh.id, ball.id], cycle_1.intervention_id)


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                            check=True)
    return " ".join(result.stdout.split())  # lines rewrapped by the layout read as one text


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, embedded "yes"/"no") of every font the PDF uses."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        fields = line.split()
        rows.append((fields[0], fields[-5]))
    return rows


def clinical_words(service: LibraryService) -> list[str]:
    """Words that must never reach the family: principle codes and names, the presenter's prompts."""
    catalogue = load_catalogue(Path(service.path) / "principles.json")
    words = ["What did you see her do here?", "You waited."]
    for principle in catalogue.principles:
        words += [principle.code, principle.name]
    return words
