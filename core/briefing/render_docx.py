"""Word (.docx) through python-docx: the same blocks as the PDF, A4, Noto Sans CJK SC named for Latin and
East Asian text (Word substitutes its own CJK font where Noto is not installed), charts as PNG pictures."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from core.briefing import blocks as b
from core.briefing import colours

FONT = "Noto Sans CJK SC"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _font(style_or_run, size: float | None = None, bold: bool | None = None, color: str | None = None) -> None:
    f = style_or_run.font
    f.name = FONT
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if color:
        f.color.rgb = _rgb(color)


def _setup(doc) -> None:
    sec = doc.sections[0]
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.PORTRAIT, Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(15)
    sec.top_margin = sec.bottom_margin = Mm(16)
    _font(doc.styles["Normal"], 10, color=colours.TEXT)
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 11.5)):
        _font(doc.styles[name], size, True, colours.TEXT)


def _table(doc, t: b.Table) -> None:
    if t.title:
        p = doc.add_paragraph()
        _font(p.add_run(t.title), 9, True)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    num = t.numeric or (False,) * len(t.columns)
    for cell, text, n in zip(table.rows[0].cells, t.columns, num, strict=True):
        _cell(cell, text, n, header=True)
    for row in t.rows:
        cells = table.add_row().cells
        for cell, text, n in zip(cells, row, num, strict=True):
            _cell(cell, str(text), n)
    if t.widths:
        total = sum(t.widths)
        for row in table.rows:
            for cell, w in zip(row.cells, t.widths, strict=True):
                cell.width = Mm(180 * w / total)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _cell(cell, text: str, numeric: bool, header: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
    _font(p.add_run(text), 8, header)
    if header:
        shading = cell._tc.get_or_add_tcPr().makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): "EEF2F7"})
        cell._tc.get_or_add_tcPr().append(shading)


def docx_bytes(report: b.Report) -> bytes:
    """The report as a .docx file."""
    doc = Document()
    _setup(doc)
    doc.core_properties.title = report.title
    doc.add_paragraph(report.title, style="Title")
    sub = doc.add_paragraph()
    _font(sub.add_run(report.subtitle), 11, color=colours.MUTED)
    _table(doc, report.cover)
    doc.add_page_break()
    for block in report.blocks:
        if isinstance(block, b.Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, b.Paragraph):
            p = doc.add_paragraph(block.text)
            p.paragraph_format.first_line_indent = Pt(20)
        elif isinstance(block, b.Note):
            _font(doc.add_paragraph().add_run(block.text), 8, color=colours.MUTED)
        elif isinstance(block, b.Table):
            _table(doc, block)
        else:
            doc.add_picture(io.BytesIO(block.png), width=Mm(min(block.width_mm, 175)))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
