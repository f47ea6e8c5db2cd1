"""Every Excel and CSV the app hands out goes through here; also the village record's workbook and briefing.

`workbook_bytes` and `csv_bytes` are the one export helper (SPEC §12, issue #19): text cells that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) are written
with a leading apostrophe, so they open as the text they are. Plain signed numbers ("-3", "+1.5%")
are left alone: no spreadsheet runs them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from html import escape

import pandas as pd

from core import i18n
from core.village_record import VillageRecord, display_section

_PRINT_CSS = """
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", sans-serif; color:#1c2733; margin:24px; font-size:12px; }
h1 { font-size:20px; margin:0 0 4px 0; } h2 { font-size:15px; border-left:4px solid #1f5fbf; padding-left:6px;
  margin:18px 0 6px 0; } .meta { color:#5d6b7d; margin-bottom:12px; }
table { border-collapse:collapse; width:100%; margin-bottom:6px; } th, td { border:1px solid #d5dde8; padding:3px 5px;
  text-align:left; font-variant-numeric:tabular-nums; } th { background:#eef2f7; }
.kpis span { display:inline-block; border:1px solid #d5dde8; border-radius:4px; padding:4px 10px; margin:0 6px 6px 0; }
@page { size:A4; margin:14mm; }
@media print { body { margin:0; } h2 { break-after:avoid; } tr, .kpis { break-inside:avoid; }
  thead { display:table-header-group; } }
"""
_SHEET_MAX_ROWS = 5000

#: What makes Excel, LibreOffice or Sheets treat a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def neutralise(value: object) -> object:
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _flat(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` fit for a spreadsheet: list cells joined with commas, text cells and headers neutralised."""
    out = df.copy()
    out.columns = [neutralise(str(c)) if not isinstance(c, str) else neutralise(c) for c in out.columns]
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: neutralise(_flat(v)))
    return out


def workbook_bytes(sheets: Mapping[str, pd.DataFrame], *, freeze_header: bool = True, fit_widths: bool = False) -> bytes:
    """An .xlsx workbook, one sheet per entry (names cleaned to Excel's rules), every cell neutralised."""
    buf = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for label, df in sheets.items():
            name = _sheet_name(label, used)
            safe_frame(df).to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            if freeze_header:
                ws.freeze_panes = "A2"
            if fit_widths:
                for column in ws.columns:
                    width = max((len(str(c.value)) for c in column[:200] if c.value is not None), default=4)
                    ws.column_dimensions[column[0].column_letter].width = min(48, max(8, width * 1.6))
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a BOM (Excel opens Chinese correctly), every cell neutralised.

    Text is always quoted: pandas leaves a lone carriage return unquoted, and a spreadsheet would start a
    new row (and a new, un-neutralised cell) there.
    """
    return safe_frame(df).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


def live_formula_cells(data: bytes) -> list[str]:
    """Cells of an .xlsx (as 'Sheet!A1') or CSV that a spreadsheet would run as a formula; empty when safe."""
    if data[:2] == b"PK":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        return [f"{ws.title}!{cell.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
                if cell.data_type == "f" or (isinstance(cell.value, str) and neutralise(cell.value) != cell.value)]
    text = data.decode("utf-8-sig")
    return [f"r{i}c{j}" for i, row in enumerate(csv.reader(io.StringIO(text, newline=""))) for j, cell in enumerate(row)
            if neutralise(cell) != cell]


def _sheet_name(label: str, used: set[str]) -> str:
    name = "".join(ch for ch in label if ch not in "[]:*?/\\")[:31] or "Sheet"
    while name in used:
        name = name[:29] + f"{len(used)}"
    used.add(name)
    return name


def excel_bytes(record: VillageRecord, lang: str = i18n.DEFAULT_LANG) -> bytes:
    """An .xlsx workbook of the record in `lang`: one sheet per section, header row frozen, cells neutralised."""
    sheets = {i18n.translate(f"section.{key}", lang):
              display_section(df.head(_SHEET_MAX_ROWS), key, lang) if len(df) else pd.DataFrame({"说明": ["无数据"]})
              for key, df in record.sections().items()}
    return workbook_bytes(sheets, fit_widths=True)


def _table(df: pd.DataFrame, limit: int = 40) -> str:
    if df.empty:
        return "<p>无数据</p>"
    shown = df.head(limit)
    more = f"<p>（共 {len(df)} 行，仅列出前 {limit} 行）</p>" if len(df) > limit else ""
    return shown.to_html(index=False, escape=True, na_rep="—", float_format=lambda v: f"{v:,.2f}") + more


def briefing_html(record: VillageRecord, generated_on: date | None = None, lang: str = i18n.DEFAULT_LANG) -> str:
    """A self-contained HTML briefing of the record that prints cleanly on A4 (no external resources)."""
    c = record.task_counts
    sec = record.team.iloc[0] if len(record.team) else None
    kpis = [f"任务 {c['total']} 件", f"在办 {c['open']}", f"逾期 {c['overdue']}", f"办结 {c['done']}",
            f"诉求 {int(record.appeals['accepted'].sum()) if len(record.appeals) else 0} 件"]
    if sec is not None:
        kpis.append(f"书记 {escape(str(sec['person']))} 领雁指数 {sec['leader_index']:.2f}（规则 {escape(str(sec['rule_version']))}）")
    period = f"{record.period // 100}年{record.period % 100}月"
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(record.name)} 村社档案</title>",
             f"<style>{_PRINT_CSS}</style></head><body>", f"<h1>{escape(record.name)} · 村社档案简报</h1>",
             f"<div class='meta'>统计月份 {period}；生成日期 {(generated_on or date.today()).isoformat()}</div>",
             "<div class='kpis'>" + "".join(f"<span>{k}</span>" for k in kpis) + "</div>"]
    for key, df in record.sections().items():
        shown = display_section(df.drop(columns=[c for c in ("id", "person_id") if c in df]), key, lang)
        parts.append(f"<h2>{escape(i18n.translate(f'section.{key}', lang))}</h2>{_table(shown)}")
    parts.append("</body></html>")
    return "".join(parts)
