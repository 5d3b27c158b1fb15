"""Regenerate the pictures of what the family keeps: the keepsake's cover and a page, and the letter
(needs poppler-utils' `pdftoppm`; no display: the PDFs are made without Qt).

    .venv/bin/python docs/screenshots/make_family_pdf_screenshots.py [OUT_DIR]

Everything is made in a temporary folder (see shots.py) from a generated sample recording; no real
family data is involved.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import shots  # first: an isolated settings folder and fast key derivation
from shots import PASSPHRASE, TMP, sample_recording

from vigstudio.app import consent, editing, keepsake, letter, review
from vigstudio.app.cases import add_case
from vigstudio.app.library import LibraryService

RESOLUTION = 50  # dpi: small pictures, enough to judge the layout


def library() -> tuple[LibraryService, int]:
    service = LibraryService()
    service.create(TMP / "Clinic library", PASSPHRASE)
    add_case(service, "F-014", referral="health_visitor")
    consent.add(service, "F-014", ["storage", "keepsake"], recorded_by="Health visitor")
    recording = sample_recording(service, "F-014", 30, "MVI_0412.MP4")
    waits = editing.add_clip(service, recording.id, 60, 135, "Waiting for her turn")
    editing.add_clip(service, recording.id, 300, 390, "Taking turns with the cups")
    editing.tag_clip(service, waits.id, "P2", "P2.1", "parent", "What did you notice about how long you waited?")
    smile = editing.add_still(service, recording.id, 97, "She turns to you, and you are already smiling")
    editing.add_still(service, recording.id, 345, "Your turn, my turn — you both enjoyed it")
    with service.read() as repos:
        cycle = repos.sessions.get(recording.session_id).cycle_id
    editing.set_helping_question(service, cycle, "How can I help her settle when she is upset?")
    session_id = recording.session_id
    review.add_reflection(service, session_id, "I didn't know she was watching me so closely.", clip_id=waits.id)
    review.add_reflection(service, session_id, "She waits for me too.", still_id=smile.id)
    review.add_reflection(service, session_id, "I want to remember that we can be calm together.")
    return service, session_id


def page(pdf: Path, number: int, out: Path) -> None:
    stem = TMP / f"{pdf.stem}-{number}"
    subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf), str(stem)], check=True)
    stem.with_suffix(".png").replace(out)
    print(out)


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    service, session_id = library()
    try:
        book = keepsake.make_keepsake(service, session_id, TMP / "keepsake.pdf", title="Our summer together")
        page(book.pdf, 1, out_dir / "keepsake-cover.png")
        page(book.pdf, 3, out_dir / "keepsake-page.png")  # the still after the first clip
        text = letter.draft_text(service, "F-014").replace("Dear …,", "Dear Sam,").replace(
            "%% your name", "Alex, your health visitor")
        made = letter.make_letter(service, "F-014", TMP / "letter.pdf", text=text)
        page(made.path, 1, out_dir / "letter.png")
    finally:
        service.close()
    return 0 if shots else 1


if __name__ == "__main__":
    sys.exit(main())
