"""Find anything (查找): villages, townships and the other regions, grid workers and cadres by name, code or
pinyin initials (`hksq` → 华康社区), within the viewer's scope.

`build_index(session)` reads every region and every active post once and precomputes each name's pinyin
initials. Entries are sorted by region id, so a viewer's scope (a contiguous id range) is one contiguous
slice of the index: a query scans only that slice, with C-speed substring search over three joined blobs
(names, initials, codes), prefix matches first. Build once per process (the UI caches it); a query then
takes a few milliseconds even on the province preset.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin
from sqlmodel import Session, col

from core.models import Person, Post, Region
from core.scope import Scope

LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4, "cadre": 5, "grid_worker": 6}


@dataclass(frozen=True)
class Hit:
    """One search result: a region (kind = its level) or a person's post (kind cadre / grid_worker)."""

    kind: str
    name: str
    code: str  # the region's 12-digit code (a person: their post's region)
    region_id: int
    region_level: str
    context: str  # the parent region's name (a region) or the post's region and role (a person)
    role: str | None = None
    person_id: int | None = None


@lru_cache(maxsize=8192)
def _char_initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    return "".join(p[:1] for p in lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")).lower()


def initials(name: str, *, phrase: bool = False) -> str:
    """Pinyin initials of a name (华康社区 → hksq); `phrase` reads polyphonic characters in context (slower)."""
    if phrase:
        return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return "".join(_char_initial(ch) for ch in name)


class SearchIndex:
    """Every searchable entry sorted by region id, with joined blobs for fast substring search."""

    def __init__(self, entries: list[Hit]) -> None:
        entries.sort(key=lambda h: (h.region_id, LEVEL_RANK.get(h.kind, 9), h.name))
        self.entries = entries
        self.region_ids = [h.region_id for h in entries]
        self.blobs: dict[str, tuple[str, list[int]]] = {}
        inits = [initials(h.name, phrase=h.person_id is None) for h in entries]
        for key, values in (("name", [h.name for h in entries]), ("initials", inits), ("code", [h.code for h in entries])):
            offsets, parts, pos = [], [], 0
            for v in values:
                offsets.append(pos)
                parts.append("\n" + v)
                pos += len(v) + 1
            self.blobs[key] = ("".join(parts) + "\n", offsets)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, scope: Scope, query: str, limit: int = 12) -> list[Hit]:
        """Entries of the scope matching `query` (name, code or initials; prefix matches first), at most `limit`."""
        q = (query or "").strip().lower()
        if not q or "\n" in q:
            return []
        lo = bisect.bisect_left(self.region_ids, scope.lo)
        hi = bisect.bisect_right(self.region_ids, scope.hi)
        if lo >= hi:
            return []
        fields = ("code",) if q.isdigit() else ("initials",) if q.isascii() and q.isalpha() else ("name",)
        found: dict[int, int] = {}  # entry index → rank (0 exact, 1 prefix, 2 contains)
        for key in fields:
            blob, offsets = self.blobs[key]
            start, end = offsets[lo], (offsets[hi] if hi < len(offsets) else len(blob) - 1) + 1
            for rank, pattern in ((1, "\n" + re.escape(q)), (2, re.escape(q))):
                for m in re.finditer(pattern, blob[start:end]):
                    i = max(bisect.bisect_right(offsets, start + m.start()) - 1, lo)
                    if i not in found:
                        value = blob[offsets[i] + 1: (offsets[i + 1] if i + 1 < len(offsets) else len(blob) - 1)]
                        found[i] = 0 if value == q else rank
                    if len(found) >= limit * 20:
                        break
                if sum(1 for r in found.values() if r < 2) >= limit:
                    break
        ranked = sorted(found, key=lambda i: (found[i], LEVEL_RANK.get(self.entries[i].kind, 9),
                                              len(self.entries[i].name), self.entries[i].region_id))
        return [self.entries[i] for i in ranked[:limit]]


def build_index(session: Session) -> SearchIndex:
    """The search index of the whole dataset (every region, every active post but the screen's)."""
    names: dict[int, tuple[str, str, str, int | None]] = {}
    for rid, code, name, level, parent in session.execute(
            sa.select(col(Region.id), col(Region.code), col(Region.name), col(Region.level), col(Region.parent_id))).tuples():
        names[int(rid)] = (code, name, level, parent)
    entries = [Hit(level, name, code, rid, level, names[parent][1] if parent in names else "")
               for rid, (code, name, level, parent) in names.items()]
    seen: set[tuple[int, int]] = set()
    for pid, pname, role, rid in session.execute(
            sa.select(col(Person.id), col(Person.name), col(Post.role), col(Post.region_id))
            .join(Person, col(Person.id) == Post.person_id)
            .where(col(Post.active), col(Post.role) != "screen_viewer").order_by(col(Post.id))).tuples():
        if (int(pid), int(rid)) in seen:  # one entry per person and place (two posts in one village)
            continue
        seen.add((int(pid), int(rid)))
        code, rname, level, _ = names.get(int(rid), ("", "", "", None))
        kind = "grid_worker" if role == "grid_worker" else "cadre"
        entries.append(Hit(kind, pname, code, int(rid), level, rname, role=role, person_id=int(pid)))
    return SearchIndex(entries)
