"""Files in: .xlsx workbooks (streamed) and CSV files (UTF-8, UTF-8 with BOM, GB18030/GBK), each sheet located
by its name (a CSV by its file name), its header row found below any title rows, merged header cells read
as the cell they came from, empty rows skipped.

An unusable file — not .xlsx or CSV, password-protected, damaged, no sheet the template knows — raises
`UnusableFile` with a catalog key; everything else about a file is the rows' business.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from core.importer.schema import SHEETS, Sheet

#: Rows searched for the header (title rows and two-row merged headers sit above the data).
HEADER_SCAN = 12
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: an encrypted .xlsx or an old .xls
_PAREN = re.compile(r"[(（\[【].*?[)）\]】]")


class UnusableFile(Exception):
    """A file the importer cannot use at all: a catalog key (import.bad.*) and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def fold_header(text: Any) -> str:
    """A header as compared: full-width folded, no spaces, no required mark, no unit in brackets, lower case."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = _PAREN.sub("", s)
    return re.sub(r"[\s*＊:：]", "", s).lower()


def _aliases(sheet: Sheet) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in sheet.columns:
        for alias in (c.label.zh, c.label.en, c.key):
            out.setdefault(fold_header(alias), c.key)
    return out


def sheet_for(name: str) -> Sheet | None:
    """The template sheet a tab or file name stands for (its Chinese or English name or key; '任务表' too)."""
    s = fold_header(Path(name).stem if name.lower().endswith((".csv", ".txt")) else name)
    for sheet in SHEETS:
        names = {fold_header(sheet.zh), fold_header(sheet.en), fold_header(sheet.key)}
        if s in names or s.removesuffix("表") in names or s.replace("_", "") in {x.replace("_", "") for x in names}:
            return sheet
    return None


@dataclass
class Found:
    """One sheet read from a file: where its columns are, which are missing, and its data rows (streamed)."""

    sheet: Sheet
    title: str  # the tab (or file) name as in the file, for messages
    header_row: int  # 1-based row number of the header
    index: dict[str, int] = field(default_factory=dict)  # column key → 0-based position
    headers: dict[str, str] = field(default_factory=dict)  # column key → header text as found
    missing: list[str] = field(default_factory=list)  # required columns not found
    ignored: list[str] = field(default_factory=list)  # headers the sheet does not know
    rows: Iterator[tuple[int, tuple]] = field(default_factory=lambda: iter(()))

    def letter(self, key: str) -> str:
        """The column letter of a column key (the header row's letter, or '' when absent)."""
        return get_column_letter(self.index[key] + 1) if key in self.index else ""


def _cell_text(row: tuple, j: int) -> str:
    return "" if j >= len(row) or row[j] is None else str(row[j]).strip()


def locate_header(top: list[tuple], sheet: Sheet) -> tuple[int, dict[str, int], dict[str, str], list[str]]:
    """(row index, column key → position, key → header text, unknown headers) of the best header row in `top`.

    A header cell left empty by a vertical merge takes the text of the cell above it; the row matching the
    most of the sheet's headers wins (the first of equals), so title rows and group rows above are skipped.
    """
    aliases = _aliases(sheet)
    best: tuple[int, int, dict[str, int], dict[str, str], list[str]] = (-1, 0, {}, {}, [])
    for r, row in enumerate(top):
        index, texts, unknown = {}, {}, []
        for j in range(len(row)):
            text = _cell_text(row, j)
            k = r
            while not text and k > 0:  # merged down from a cell above
                k -= 1
                text = _cell_text(top[k], j)
            key = aliases.get(fold_header(text))
            if key and key not in index:
                index[key], texts[key] = j, text
            elif _cell_text(row, j):
                unknown.append(_cell_text(row, j))
        if len(index) > best[1]:
            best = (r, len(index), index, texts, unknown)
    return best[0], best[2], best[3], best[4]


def _found(sheet: Sheet, title: str, rows: Iterator[tuple]) -> Found:
    top = []
    for row in rows:
        top.append(tuple(row))
        if len(top) >= HEADER_SCAN:
            break
    r, index, texts, unknown = locate_header(top, sheet)
    missing = [c.key for c in sheet.columns if c.required and c.key not in index]
    first = r + 2  # 1-based number of the first data row

    def data() -> Iterator[tuple[int, tuple]]:
        number = first
        for row in [*top[r + 1:], *(tuple(x) for x in rows)] if r >= 0 else []:
            if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):
                yield number, row
            number += 1

    return Found(sheet, title, r + 1 if r >= 0 else 1, index, texts, missing, unknown, data())


def _xlsx(path: Path) -> Iterator[Found]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnusableFile("import.bad.corrupt", name=path.name) from None
    known = [(ws, sheet_for(ws.title)) for ws in book.worksheets]
    if not any(s for _, s in known):
        book.close()
        raise UnusableFile("import.bad.no_sheet", name=path.name, expected="、".join(s.zh for s in SHEETS))
    for ws, sheet in known:
        if sheet is not None:
            yield _found(sheet, ws.title, ws.iter_rows(values_only=True))
    book.close()


def decode_csv(raw: bytes, name: str) -> str:
    """The text of a CSV: UTF-8 (a BOM is dropped), else GB18030 (which reads GBK and GB2312 too)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnusableFile("import.bad.encoding", name=name)


def _csv(path: Path) -> Iterator[Found]:
    sheet = sheet_for(path.name)
    if sheet is None:
        raise UnusableFile("import.bad.csv_sheet", name=path.name)
    body = decode_csv(path.read_bytes(), path.name)
    try:
        dialect: Any = csv.Sniffer().sniff(body[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = (tuple(v if v.strip() else None for v in row) for row in csv.reader(io.StringIO(body), dialect))
    yield _found(sheet, path.name, rows)


def read_file(path: str | Path) -> Iterator[Found]:
    """The template sheets found in one file (streamed; raises UnusableFile for an unusable file)."""
    path = Path(path)
    if not path.is_file():
        raise UnusableFile("import.bad.not_found", name=path.name)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_CFB_MAGIC):
        raise UnusableFile("import.bad.encrypted", name=path.name)
    suffix = path.suffix.lower()
    if head.startswith(b"PK") and suffix in (".xlsx", ".xlsm", ""):
        return _xlsx(path)
    if suffix in (".csv", ".txt"):
        return _csv(path)
    if suffix in (".xlsx", ".xlsm"):
        raise UnusableFile("import.bad.corrupt", name=path.name)
    raise UnusableFile("import.bad.type", name=path.name)
