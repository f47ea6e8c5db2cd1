"""A chunk: the villages of one township as arrays.

A county worker generates history one chunk at a time and writes it out before the next, so its
memory holds one township's rows, never the whole county's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.enums import Module
from seed.context import SeedContext, VillageUnit
from seed.matters import MATTER_TYPES


@dataclass
class Chunk:
    """The villages of one township, as parallel arrays indexed by village position 0..size-1."""

    county_id: int
    seq: int  # township's position in the county: the chunk's random stream
    villages: list[VillageUnit]
    county_admin: int
    months: int

    def __post_init__(self) -> None:
        vs = self.villages
        self.size = len(vs)
        self.ids = np.array([v.id for v in vs], dtype=np.int64)
        self.township = np.array([v.township_id for v in vs], dtype=np.int64)
        self.households = np.array([v.households for v in vs], dtype=float)
        self.population = np.array([v.population for v in vs], dtype=float)
        self.quality = np.array([v.quality for v in vs])
        self.secretary = np.array([v.secretary_id for v in vs], dtype=np.int64)
        self.committee = np.array([v.committee_ids for v in vs], dtype=np.int64).reshape(len(vs), 4)
        self.grid_count = np.array([len(v.grid_ids) for v in vs], dtype=np.int64)
        self.grid_start = np.concatenate([[0], np.cumsum(self.grid_count)[:-1]]).astype(np.int64)
        self.grid_ids = np.array([g for v in vs for g in v.grid_ids], dtype=np.int64)
        self.grid_workers = np.array([w for v in vs for w in v.grid_workers], dtype=np.int64)
        self.titles = np.array([[f"{v.name}·{m[1]}" for m in MATTER_TYPES] for v in vs], dtype=object)

    @classmethod
    def of(cls, ctx: SeedContext, county_id: int, seq: int, villages: list[VillageUnit], months: int) -> Chunk:
        """The chunk of these villages with their township staff looked up."""
        ch = cls(county_id, seq, villages, ctx.county_admin[county_id], months)
        ch.staff(ctx)
        return ch

    def staff(self, ctx: SeedContext) -> None:
        """Township admin and the leaders in charge of each module, per village."""
        modules = [str(m) for m in Module]
        staff = [ctx.township_staff[v.township_id] for v in self.villages]
        self.town_admin = np.array([s.admin_id for s in staff], dtype=np.int64)
        self.leaders = np.array([[s.leader_by_module[m] for m in modules] for s in staff], dtype=np.int64)
