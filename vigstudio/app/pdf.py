"""What the family's PDFs (the keepsake, the closing letter) share: fonts, styles, pictures, writing.

- Type is DejaVu Sans, embedded (found where the caption burner finds it, `caption_font_file`), so
  accents and typographic quotes print the same on every machine; no font, no PDF (`PdfFontMissing`).
- Pictures go from the decoder's RGB arrays to JPEG bytes in memory and into the PDF: never a
  plaintext picture file on disk.
- The document is made in memory and written to `.name.partial` beside the target, fsynced and
  renamed (the media layer's `AtomicTarget`): a failed or cancelled PDF leaves nothing behind.
- Made with reportlab, no Qt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image as PilImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vigstudio.domain.errors import InvalidInput, VigError
from vigstudio.domain.model import AuditEvent
from vigstudio.media.export_encode import AtomicTarget
from vigstudio.media.export_overlays import caption_font_file

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService

PAGE = A4
MARGIN = 22 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN
INK = "#33302b"  # a warm near-black, softer on paper than pure black
SOFT_INK = "#6f6a62"
JPEG_QUALITY = 90
REGULAR, BOLD, ITALIC = "VigSans", "VigSans-Bold", "VigSans-Oblique"


class PdfFontMissing(VigError):
    def __init__(self) -> None:
        super().__init__("no DejaVu Sans font found to embed in the PDF (install the fonts-dejavu-core package)")


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str, str]:
    """Register DejaVu Sans (regular, bold, oblique; bold and oblique fall back to regular when
    missing) with reportlab under our own names; returns (regular, bold, italic)."""
    regular = caption_font_file()
    if regular is None:
        raise PdfFontMissing()
    folder, name = Path(regular).parent, Path(regular).stem
    variants = {REGULAR: Path(regular), BOLD: folder / f"{name}-Bold.ttf", ITALIC: folder / f"{name}-Oblique.ttf"}
    for font_name, path in variants.items():
        pdfmetrics.registerFont(TTFont(font_name, str(path if path.is_file() else regular)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    return REGULAR, BOLD, ITALIC


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    heading_centered: ParagraphStyle
    body: ParagraphStyle
    caption: ParagraphStyle
    words: ParagraphStyle  # the parent's own words
    small: ParagraphStyle
    table: ParagraphStyle  # the cells of a report's tables
    table_head: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    regular, bold, italic = register_fonts()
    base = ParagraphStyle("base", fontName=regular, bulletFontName=regular)  # no Helvetica left anywhere
    body = ParagraphStyle("body", parent=base, fontName=regular, fontSize=11.5, leading=17, textColor=INK, spaceAfter=8)
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=bold, fontSize=30, leading=38, textColor=INK,
                             alignment=TA_CENTER, spaceAfter=10),
        subtitle=ParagraphStyle("subtitle", parent=base, fontName=regular, fontSize=13, leading=19, textColor=SOFT_INK,
                                alignment=TA_CENTER, spaceAfter=6),
        heading=ParagraphStyle("heading", parent=base, fontName=bold, fontSize=15, leading=21, textColor=INK,
                               spaceBefore=6, spaceAfter=8),
        heading_centered=ParagraphStyle("heading_centered", parent=base, fontName=bold, fontSize=18, leading=25,
                                        textColor=INK, alignment=TA_CENTER, spaceAfter=10),
        body=body,
        caption=ParagraphStyle("caption", parent=base, fontName=regular, fontSize=17, leading=24, textColor=INK,
                               alignment=TA_CENTER, spaceBefore=10, spaceAfter=6),
        words=ParagraphStyle("words", parent=base, fontName=italic, fontSize=13, leading=19, textColor=INK,
                             alignment=TA_CENTER, leftIndent=12 * mm, rightIndent=12 * mm, spaceBefore=8,
                             spaceAfter=4),
        small=ParagraphStyle("small", parent=base, fontName=regular, fontSize=9.5, leading=13, textColor=SOFT_INK,
                             alignment=TA_CENTER, spaceBefore=4),
        table=ParagraphStyle("table", parent=base, fontName=regular, fontSize=8, leading=10, textColor=INK),
        table_head=ParagraphStyle("table_head", parent=base, fontName=bold, fontSize=8, leading=10, textColor=INK),
    )


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: what people typed is never read as markup); line breaks kept."""
    return Paragraph("<br/>".join(escape(line) for line in text.strip().splitlines()), style)


def quoted(text: str) -> str:
    return f"“{' '.join(text.split())}”"


def picture(rgb: np.ndarray, max_width: float, max_height: float) -> Image:
    """The RGB picture as a flowable, scaled to fit `max_width` × `max_height` points, aspect kept;
    JPEG-encoded in memory only."""
    height, width = rgb.shape[:2]
    scale = min(max_width / width, max_height / height)
    data = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(rgb)).save(data, format="JPEG", quality=JPEG_QUALITY)
    data.seek(0)
    image = Image(data, width=width * scale, height=height * scale)
    image.hAlign = "CENTER"
    return image


def check_target(out_path: Path | str, suffix: str | tuple[str, ...]) -> AtomicTarget:
    """Refuse a wrong target before any work: the suffix, a missing folder, a folder in its place."""
    path = Path(out_path)
    suffixes = (suffix,) if isinstance(suffix, str) else suffix
    if path.suffix.lower() not in suffixes:
        raise InvalidInput(f"the output file must end in {' or '.join(suffixes)} (got {path.name})")
    return AtomicTarget(path)


def centred(flowables: list[Flowable], *, rise: float = 0.42) -> list[Flowable]:
    """`flowables` with a spacer above them so that the group sits a little above the middle of the
    page (`rise` = the share of the free height put above it): a calm page, not a top-heavy one."""
    used = 0.0
    for n, f in enumerate(flowables):
        used += f.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + (f.getSpaceBefore() if n else 0) + f.getSpaceAfter()
    free = FRAME_HEIGHT - used - 2  # the frame's own padding
    return ([Spacer(1, free * rise)] if free > 0 else []) + list(flowables)


def render(flowables: list[Flowable], *, title: str,
           on_page: Callable[[object, object], None] | None = None) -> bytes:
    """The A4 document as bytes. `title` goes in the PDF's metadata (the family's own title or a
    neutral word: never a case code); `on_page` draws on every page (e.g. a page number)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, author="", subject="", creator="VIG Studio",
                            # the canvas's first font too: reportlab's default, Helvetica, is not embedded
                            initialFontName=REGULAR)
    hook = on_page or (lambda canvas, doc: None)
    doc.build(flowables, onFirstPage=hook, onLaterPages=hook)
    return out.getvalue()


def page_number(canvas: Any, doc: Any) -> None:  # reportlab's canvas and document (untyped)
    """A small page number at the foot of every page but the first."""
    if doc.page == 1:
        return
    canvas.saveState()
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(SOFT_INK)
    canvas.drawCentredString(PAGE[0] / 2, MARGIN / 2, str(doc.page))
    canvas.restoreState()


def page_count(data: bytes) -> int:
    """Pages in a PDF reportlab wrote (its page objects are `/Type /Page`, the tree `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def write(target: AtomicTarget, data: bytes) -> Path:
    """Write atomically (partial, fsync, rename); returns the final path."""
    target.write_bytes(data)
    return target.final


def write_report(service: LibraryService, pdf_target: AtomicTarget, pdf_data: bytes,
                 csv_target: AtomicTarget | None, csv_data: str, audit_object: str) -> tuple[Path, Path | None]:
    """A report's PDF (and CSV) written atomically, then one audit event: it has left the library."""
    written_csv = None
    if csv_target is not None:
        written_csv = write(csv_target, csv_data.encode("utf-8"))
    written = write(pdf_target, pdf_data)
    with service.edit() as repos:
        repos.audit.append(AuditEvent("report", audit_object))
    return written, written_csv


def table(data: list[list[str]], widths: list[float]) -> Table:
    """A report table: a bold header row over a rule, then softly striped rows of small text (plain text:
    escaped, so what people typed is never read as markup)."""
    s = styles()
    cells = [[Paragraph(escape(c), s.table_head if r == 0 else s.table) for c in row] for r, row in enumerate(data)]
    table = Table(cells, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(INK)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f3ef")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
