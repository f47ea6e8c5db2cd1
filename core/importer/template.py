"""The import template (导入模板): a workbook with one sheet per kind, generated from `core.importer.schema`.

Each sheet: a header row (required columns marked *, a note per header with meaning, unit, required or
not and the allowed values), drop-down lists (Excel data validation) on enumeration and yes/no columns,
one example row (an untouched example row is skipped on import), and code columns formatted as text so
that Excel keeps their leading zeros.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.i18n import normalize_lang, translate
from core.importer.labels import SHEET_LABELS
from core.importer.rows import choice_label
from core.importer.schema import SHEETS, Column, Sheet

#: Rows the drop-down lists cover below the header.
VALIDATION_ROWS = 200_000
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_REQUIRED_FONT = Font(bold=True, color="9C0006")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_TEXT_KINDS = ("code", "ref", "text")


def sheet_title(sheet: Sheet, lang: str) -> str:
    """The sheet's tab name in `lang`."""
    return sheet.zh if normalize_lang(lang) == "zh" else sheet.en


def header_note(column: Column, lang: str) -> str:
    """The note on a header cell: meaning, required or optional, unit, allowed values."""
    zh = normalize_lang(lang) == "zh"
    parts = [column.label.note_zh if zh else column.label.note_en]
    parts.append(translate("import.template.required" if column.required else "import.template.optional", lang))
    if column.label.unit:
        parts.append(f"{translate('import.template.unit', lang)}: {column.label.unit}")
    if column.choices:
        values = " / ".join(choice_label(column, v, lang) for v in column.choices)
        parts.append(f"{translate('import.template.choices', lang)}: {values}")
    return "\n".join(p for p in parts if p)


def example_cell(column: Column, value: Any, lang: str) -> Any:
    """The example row's cell as a person would type it (labels for enumerations, 是/否, ISO dates)."""
    if value is None or value == "":
        return None
    if column.choices and column.kind != "ref" or column.choice_kind == "indicator_name":
        return choice_label(column, str(value), lang)
    if column.kind == "bool":
        return translate(f"bool.{str(bool(value)).lower()}", lang)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _list_source(book: Workbook, lists: Worksheet, column: Column, lang: str, cache: dict[str, str]) -> str:
    """A range on the hidden list sheet holding the column's allowed values (Excel's list formulas are short)."""
    values = [choice_label(column, v, lang) for v in column.choices] if column.choices else [
        translate("bool.true", lang), translate("bool.false", lang)]
    key = "|".join(values)
    if key not in cache:
        col = len(cache) + 1
        for i, v in enumerate(values, start=1):
            lists.cell(row=i, column=col, value=v)
        letter = get_column_letter(col)
        cache[key] = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
    return cache[key]


def write_sheet(book: Workbook, sheet: Sheet, rows: Iterable[dict[str, Any]], lang: str, *, example: bool,
                lists: Worksheet, cache: dict[str, str]) -> Worksheet:
    """One kind's sheet: headers with notes, drop-downs, text-formatted code columns, then `rows` (or the example)."""
    ws = book.create_sheet(sheet_title(sheet, lang))
    for j, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=j, value=column.header(lang))
        cell.fill, cell.alignment = _HEAD_FILL, Alignment(wrap_text=True, vertical="center")
        if column.required:
            cell.font = _REQUIRED_FONT
        cell.comment = Comment(header_note(column, lang), "XingCun", width=320, height=160)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(12, min(40, len(column.header(lang)) * 2 + 4))
        if (column.choices and column.kind != "ref") or column.kind == "bool" or column.choice_kind == "indicator_name":
            dv = DataValidation(type="list", formula1=_list_source(book, lists, column, lang, cache), allow_blank=True,
                                showErrorMessage=True)
            dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    text_cols = [j for j, c in enumerate(sheet.columns) if c.kind in _TEXT_KINDS and not c.choices]
    source = [sheet.example] if example else rows
    for i, row in enumerate(source, start=2):
        for j, column in enumerate(sheet.columns):
            value = example_cell(column, row.get(column.key), lang)
            if value is None:
                continue
            cell = ws.cell(row=i, column=j + 1, value=value)
            if j in text_cols:
                cell.number_format = "@"
            if example:
                cell.font = _EXAMPLE_FONT
    return ws


def _readme(book: Workbook, lang: str) -> None:
    ws = book.active
    assert ws is not None  # a new workbook has its first sheet
    ws.title = translate("import.template.readme", lang)
    ws["A1"] = translate("import.template.intro", lang)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"] = translate("import.template.example_note", lang)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    for i, sheet in enumerate(SHEETS, start=4):
        ws.cell(row=i, column=1, value=sheet_title(sheet, lang)).font = Font(bold=True)
        note = SHEET_LABELS[sheet.key]
        ws.cell(row=i, column=2, value=note.note_zh if normalize_lang(lang) == "zh" else note.note_en)
    ws.merge_cells("A1:B1")
    ws.row_dimensions[1].height = 60


def new_book(lang: str) -> tuple[Workbook, Worksheet, dict[str, str]]:
    """A workbook with the read-me sheet and the hidden sheet of drop-down values."""
    book = Workbook()
    _readme(book, lang)
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    return book, lists, {}


def write_template(out: str | Path | IO[bytes], *, lang: str = "zh") -> None:
    """Write the empty template (one example row per sheet) to a path or binary stream."""
    book, lists, cache = new_book(lang)
    for sheet in SHEETS:
        write_sheet(book, sheet, (), lang, example=True, lists=lists, cache=cache)
    book.move_sheet(lists, offset=len(book.sheetnames))
    book.save(out)
