"""The report as a list of blocks (heading, paragraph, table, figure) that both renderers walk, and the
number formats shared by its tables and its narrative (so a sentence's "78.4" is the table's "78.4")."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.i18n import format_number


@dataclass(frozen=True)
class Sentence:
    """One narrative sentence: its text and the template key that wrote it (which condition held)."""

    text: str
    key: str


@dataclass(frozen=True)
class Heading:
    """A section (level 1) or sub-section (level 2) title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Narrative sentences written from the numbers, shown as one paragraph."""

    sentences: tuple[Sentence, ...]
    sep: str = ""  # Chinese sentences run on; English ones take a space

    @property
    def text(self) -> str:
        """The sentences joined into one paragraph."""
        return self.sep.join(s.text for s in self.sentences)


@dataclass(frozen=True)
class Note:
    """A small-print remark (a definition, a cut list)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A titled table of already formatted cells; `numeric` marks the right-aligned columns."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths (empty: equal)


@dataclass(frozen=True)
class Figure:
    """A chart as PNG bytes, its caption and its width on the page (mm)."""

    png: bytes
    caption: str
    width_mm: float = 170.0


Block = Heading | Paragraph | Note | Table | Figure


@dataclass
class Report:
    """A whole report: title lines, the cover table, then the blocks in order."""

    lang: str
    title: str
    subtitle: str
    cover: Table
    blocks: list[Block] = field(default_factory=list)

    def sentences(self) -> list[Sentence]:
        """Every narrative sentence, in order."""
        return [s for b in self.blocks if isinstance(b, Paragraph) for s in b.sentences]

    def tables(self) -> list[Table]:
        """The cover and every table, in order."""
        return [self.cover, *(b for b in self.blocks if isinstance(b, Table))]


def missing(x) -> bool:
    """None or NaN."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def score(x) -> str:
    """A 0–100 score with one decimal ('—' when missing)."""
    return "—" if missing(x) else f"{float(x):.1f}"


def index2(x) -> str:
    """A 领雁指数 with two decimals, as the leaders page shows it."""
    return "—" if missing(x) else f"{float(x):.2f}"


def pct(x) -> str:
    """A rate already in percent, one decimal with the sign: 94.7%."""
    return "—" if missing(x) else f"{float(x):.1f}%"


def share(num, den) -> str:
    """num / den as a percent with one decimal ('—' when den is 0)."""
    return "—" if missing(num) or missing(den) or not den else f"{float(num) / float(den) * 100:.1f}%"


def count(n) -> str:
    """A count with thousands separators."""
    return "—" if missing(n) else format_number(int(n))


def change(now, before, digits: int = 1) -> str:
    """now − before with its sign (+2.3, -1.0, 0.0); '—' when either is missing."""
    if missing(now) or missing(before):
        return "—"
    d = round(float(now) - float(before), digits)
    return f"{d:+,.{digits}f}" if d else f"{0:.{digits}f}"


def magnitude(now, before, digits: int = 1) -> str:
    """|now − before| as the narrative writes it ("上升 2.3 个百分点")."""
    return format_number(abs(round(float(now) - float(before), digits)), digits=digits)


def movement(m) -> str:
    """A rank movement: ▲2 (up), ▼1 (down), 0, or '—' when there was no earlier rank."""
    if missing(m):
        return "—"
    m = int(m)
    return f"▲{m}" if m > 0 else (f"▼{-m}" if m < 0 else "0")


def rank_of(rank, n) -> str:
    """'2/6' (rank of n), '—' when missing."""
    return "—" if missing(rank) or missing(n) else f"{int(rank)}/{int(n)}"
