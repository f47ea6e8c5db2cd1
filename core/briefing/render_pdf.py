"""PDF through WeasyPrint: the blocks as print HTML (A4, the app's Noto Sans SC from core.briefing.fonts, charts as
data: PNGs), then laid out by WeasyPrint with its fonts subset and embedded. No URL is fetched: the fetcher refuses
all but data: URLs."""

from __future__ import annotations

import base64
from html import escape

from core.briefing import blocks as b
from core.briefing import colours, fonts
from core.i18n import translate

KEEP_ROWS = 12

_CSS = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm;
  @top-right { content: "%(running)s"; font-size: 7.5pt; color: %(muted)s; }
  @bottom-center { content: "%(before)s" counter(page) "%(after)s"; font-size: 8pt; color: %(muted)s; } }
@page :first { @top-right { content: none; } }
html { font-family: %(font)s; color: %(text)s; font-size: 10pt; line-height: 1.55; }
.cover { page-break-after: always; padding-top: 55mm; }
.cover h1 { font-size: 22pt; margin: 0 0 4mm 0; line-height: 1.3; }
.cover .sub { color: %(muted)s; font-size: 11pt; margin-bottom: 14mm; border-top: 2.5pt solid %(accent)s; padding-top: 3mm; }
h2 { font-size: 13.5pt; margin: 7mm 0 2.5mm 0; padding-left: 2.5mm; border-left: 4pt solid %(accent)s;
  page-break-after: avoid; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm 0; page-break-after: avoid; }
p.n { text-indent: 2em; margin: 0 0 2.5mm 0; text-align: justify; }
p.note { font-size: 8pt; color: %(muted)s; margin: 1mm 0 2mm 0; }
.cap { font-size: 8.5pt; font-weight: bold; margin: 3mm 0 1mm 0; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%%; margin-bottom: 2mm; font-size: 8.2pt; }
th, td { border: 0.6pt solid %(border)s; padding: 1.1mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #f8fafc; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
.keep { page-break-inside: avoid; break-inside: avoid; }
figure { margin: 2mm 0 4mm 0; text-align: center; page-break-inside: avoid; }
figure img { display: block; margin: 0 auto; }
.cover table { font-size: 10pt; }
"""


def _table(t: b.Table) -> str:
    total = sum(t.widths) if t.widths else 0
    cols = "".join(f"<col style='width:{w / total * 100:.1f}%'>" for w in t.widths) if total else ""
    num = t.numeric or (False,) * len(t.columns)
    head = "".join(f"<th class='{'num' if n else ''}'>{escape(c)}</th>" for c, n in zip(t.columns, num, strict=True))
    body = "".join("<tr>" + "".join(f"<td class='{'num' if n else ''}'>{escape(str(v))}</td>" for v, n in zip(row, num, strict=True))
                   + "</tr>" for row in t.rows)
    cap = f"<div class='cap'>{escape(t.title)}</div>" if t.title else ""
    keep = " keep" if len(t.rows) <= KEEP_ROWS else ""  # a short table moves whole to the next page
    return (f"<div class='tbl{keep}'>{cap}<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _block(block: b.Block) -> str:
    if isinstance(block, b.Heading):
        tag = "h2" if block.level == 1 else "h3"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, b.Paragraph):
        return f"<p class='n'>{escape(block.text)}</p>"
    if isinstance(block, b.Note):
        return f"<p class='note'>{escape(block.text)}</p>"
    if isinstance(block, b.Table):
        return _table(block)
    data = base64.b64encode(block.png).decode("ascii")
    return (f"<figure><img src='data:image/png;base64,{data}' style='width:{block.width_mm:.0f}mm' "
            f"alt='{escape(block.caption)}'></figure>")


def html(report: b.Report) -> str:
    """The report as one self-contained print HTML document."""
    before, _, after = translate("briefing.page", report.lang, page="\0").partition("\0")
    cover = (f"<section class='cover'><h1>{escape(report.title)}</h1><div class='sub'>{escape(report.subtitle)}</div>"
             f"{_table(report.cover)}</section>")
    body = "".join(_block(x) for x in report.blocks)
    faces, stack = fonts.pdf_fonts(report.title + before + after + cover + body)
    css = _CSS % {"font": stack, "text": colours.TEXT, "muted": colours.MUTED, "accent": colours.ACCENT,
                  "border": colours.BORDER, "before": _css_str(before), "after": _css_str(after),
                  "running": _css_str(report.title)}
    lang = "en" if report.lang == "en" else "zh-CN"
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(report.title)}</title>"
            f"<style>{faces}{css}</style></head><body>{cover}{body}</body></html>")


def _css_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def pdf_bytes(report: b.Report) -> bytes:
    """The report as a PDF (fonts subset and embedded by WeasyPrint)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: only (our charts): a stray http(s) or file URL is refused, never fetched.
    return HTML(string=html(report), url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
