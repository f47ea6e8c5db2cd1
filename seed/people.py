"""People and posts: town staff, village two-committee teams, grid workers, county and city admins."""

from __future__ import annotations

from collections import defaultdict

from core.enums import Module, Role
from core.models import Grid, Person, Post
from seed.context import SeedContext, TownshipStaff

MODULE_LEADER_TITLE = {
    Module.PARTY_BUILDING: "分管党建副书记",
    Module.ECONOMY: "分管经济副镇长",
    Module.SAFETY: "分管平安副镇长",
    Module.PUBLIC_SERVICE: "分管社会事业副镇长",
}


class PeopleWriter:
    """Collects person and post rows with deterministic ids, then writes them."""

    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng(0, 7)
        self.people: list[dict] = []
        self.posts: list[dict] = []

    def person(self, region_id: int, role: str, title: str, grid_id: int | None = None) -> int:
        """Create a person holding one post; returns the person id."""
        pid = self.ctx.ids("person", 1)[0]
        f = self.ctx.faker
        gender = "F" if self.rng.random() < 0.38 else "M"
        name = f.name_female() if gender == "F" else f.name_male()
        self.people.append({"id": pid, "name": name, "gender": gender,
                            "birth_year": int(self.rng.integers(1962, 1998)),
                            "party_member": role != Role.GRID_WORKER or bool(self.rng.random() < 0.6),
                            "phone": f"1{int(self.rng.integers(3, 9))}{int(self.rng.integers(0, 10**9)):09d}"})
        self.post(pid, region_id, role, title, grid_id)
        return pid

    def post(self, person_id: int, region_id: int, role: str, title: str, grid_id: int | None = None) -> None:
        """Give an existing person another post."""
        self.posts.append({"id": self.ctx.ids("post", 1)[0], "person_id": person_id, "region_id": region_id,
                           "grid_id": grid_id, "role": str(role), "title": title,
                           "since": self.ctx.start.replace(year=self.ctx.start.year - int(self.rng.integers(0, 6))),
                           "active": True})

    def flush(self) -> None:
        """Write all collected rows."""
        self.ctx.insert(Person.__table__, self.people)
        self.ctx.insert(Post.__table__, self.posts)
        self.people, self.posts = [], []


def write_upper_people(ctx: SeedContext, upper_regions: list[tuple[int, str]]) -> None:
    """City and province posts: admins, operators and the read-only big screen."""
    w = PeopleWriter(ctx)
    for region_id, level in upper_regions:
        if level == "city":
            w.person(region_id, Role.CITY_ADMIN, "市委组织部 管理员")
            w.person(region_id, Role.CITY_OPERATOR, "市数据局 业务操作员")
        w.person(region_id, Role.SCREEN_VIEWER, "指挥大厅 大屏")
    w.flush()


def write_county_people(ctx: SeedContext, county_id: int) -> None:
    """All people and posts of one county; fills the ids the history stages need."""
    w = PeopleWriter(ctx)
    by_town: dict[int, list] = defaultdict(list)
    for v in ctx.villages:
        by_town[v.township_id].append(v)
    ctx.county_admin[county_id] = w.person(county_id, Role.COUNTY_ADMIN, "县委组织部 管理员")
    w.person(county_id, Role.SCREEN_VIEWER, "县指挥中心 大屏")
    for town_id in sorted(by_town):
        _township(w, ctx, town_id, by_town[town_id])
    w.flush()
    _assign_grid_workers(ctx)


def _township(w: PeopleWriter, ctx: SeedContext, town_id: int, villages: list) -> None:
    admin = w.person(town_id, Role.TOWN_ADMIN, "镇党政办 管理员")
    deputy = w.person(town_id, Role.TOWN_PARTY_DEPUTY, "党群副书记")
    leaders = {str(m): w.person(town_id, Role.TOWN_LEADER, MODULE_LEADER_TITLE[m]) for m in Module}
    lines = [w.person(town_id, Role.LINE_CADRE, t) for t in ("线办干部（党建线）", "线办干部（平安线）")]
    ctx.township_staff[town_id] = TownshipStaff(admin, deputy, leaders, lines)
    stationed = 0
    for i, v in enumerate(villages):
        if i % 3 == 0:
            stationed = w.person(town_id, Role.STATIONED_CADRE, "驻村干部")
        w.post(stationed, v.id, Role.STATIONED_CADRE, f"驻{v.name}干部")
        v.stationed_id = stationed
        v.secretary_id = w.person(v.id, Role.VILLAGE_SECRETARY, "村党组织书记" if v.kind == "village" else "社区党组织书记")
        titles = ["村委会主任", "村委副主任", "村监委主任", "两委委员"]
        v.committee_ids = [w.person(v.id, Role.VILLAGE_COMMITTEE, t) for t in titles]
        w.post(v.committee_ids[-1], v.id, Role.VILLAGE_ADMIN, "村级管理员")
        v.grid_workers = [w.person(v.id, Role.GRID_WORKER, "专职网格员", g) for g in v.grid_ids]


def _assign_grid_workers(ctx: SeedContext) -> None:
    table = Grid.__table__
    import sqlalchemy as sa

    stmt = table.update().where(table.c.id == sa.bindparam("gid")).values(worker_id=sa.bindparam("wid"))
    rows = [{"gid": g, "wid": w} for v in ctx.villages for g, w in zip(v.grid_ids, v.grid_workers, strict=True)]
    for i in range(0, len(rows), 20_000):
        ctx.conn.execute(stmt, rows[i : i + 20_000])
