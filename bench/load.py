"""`make bench-load`: many real Streamlit sessions at once — readers, screens and writers — for a bounded time.

    python -m bench.load [--database URL | --preset city] [--servers 1] [--sessions 50] [--writers 5]
                         [--write-rate 1.0] [--screens 5] [--think 5] [--duration 300] [--strict]
    python -m bench.load --url http://127.0.0.1:8501 …        drive servers already running (same XINGCUN_SECRET)

Each session is one WebSocket to `/_stcore/stream` speaking Streamlit's own protocol, as the browser does:
BackMsg `rerun_script` (page, query string, widget states) up, ForwardMsg deltas down until `script_finished`.
Sessions sign in as the sign-in form does: a live session row (core.auth.start_session, hashed with the servers'
secret) and its token in the session cookie.

- readers open pages (cockpit, rankings, map, tasks, appeals) at different regions as different roles, one
  page after another with a think time between them; a page's time is from the BackMsg to its
  `script_finished` (the server's whole rerun, every delta received); a session's first view of a page is
  reported apart from its warm views;
- screens hold the big-screen cockpit open (`?screen=big`) and answer its `auto_rerun` every refresh
  interval as the browser does; the title bar carries the data version it was drawn from, so the bench sees
  when a write reaches every screen;
- writers press 催办 on the tasks page (note + button widget states) at `--write-rate` per writer per second;
  a write counts as acknowledged when the rerun shows the success message; at the end the task_event rows with
  the run's notes are counted: acknowledged ≠ rows written is a lost (or phantom) write.

The run stops by itself after `--duration` seconds (and sessions still busy get `--timeout` more). Prints
p50/p95/p99 per page and per write, errors by kind, server RSS and CPU (psutil, sampled every second), the
load average, and the time from a write's commit (the bench polls the data version in the database every
0.1 s) until every screen shows it. Figures go to bench/results/load-<time>.json as well.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil
import sqlalchemy as sa
from sqlmodel import Session

from core.config import REPO_ROOT, AuthConfig
from core.db import display_url, make_engine
from core.freshness import data_version
from core.models import Region, TaskEvent, UserAccount

RESULTS = REPO_ROOT / "bench" / "results"
READER_PAGES = ("cockpit", "rankings", "map", "tasks", "appeals")
#: (username, level of the regions it looks at) — readers take turns through these
READER_ROLES = (("city_admin", "county"), ("city_admin", "township"), ("county_admin", "township"),
                ("town_admin", "village"), ("county_admin", "county"))
WRITER_ROLES = ("county_admin", "town_admin", "city_admin")
VERSION_ATTR = re.compile(r"data-version='(\d+)'")
TARGETS = {"reader_warm_p95_ms": 600, "write_p95_ms": 300, "rss_mb": 2048, "visible_s": 35}


# ----------------------------------------------------------------------------------------------- protocol

@dataclass
class RunResult:
    """What one script run sent back."""

    status: int = -1  # ForwardMsg.script_finished (0 ok, 3 fragment ok); -1 none
    seconds: float = 0.0
    nbytes: int = 0
    widgets: list[str] = field(default_factory=list)  # ids of the widgets drawn
    versions: list[int] = field(default_factory=list)  # data-version attributes seen
    errors: list[str] = field(default_factory=list)  # kinds
    success: int = 0  # st.success messages
    auto_rerun: tuple[float, str] | None = None


class StreamlitSession:
    """One browser-like session over the WebSocket."""

    def __init__(self, base_url: str, cookie: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/_stcore/stream"
        self.cookie, self.timeout = cookie, timeout
        self.ws = None

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           additional_headers={"Cookie": self.cookie}, open_timeout=self.timeout)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def run(self, page: str, query: dict[str, str], widgets: list | None = None,
                  fragment_id: str = "") -> RunResult:
        """One rerun (a page open, a widget event or a fragment tick) until its script_finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string, rs.page_name = urlencode(query), page
        if fragment_id:
            rs.fragment_id, rs.is_auto_rerun = fragment_id, True
        for w in widgets or []:
            rs.widget_states.widgets.append(w)
        res, t0 = RunResult(), time.monotonic()
        await self.ws.send(msg.SerializeToString())
        while True:
            left = self.timeout - (time.monotonic() - t0)
            if left <= 0:
                res.errors.append("timeout")
                break
            raw = await asyncio.wait_for(self.ws.recv(), left)
            res.nbytes += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                _read_delta(fwd.delta, res)
            elif kind == "auto_rerun":
                res.auto_rerun = (fwd.auto_rerun.interval, fwd.auto_rerun.fragment_id)
            elif kind == "page_not_found":
                res.errors.append("page not found")
            elif kind == "script_finished":
                if fwd.script_finished == 1:
                    res.status = 1
                    res.errors.append("script compile error")
                    break
                if fwd.script_finished in (0, 3):
                    res.status = fwd.script_finished
                    break
                # 2 = finished early for a rerun (st.rerun / query params): the server goes on by itself
        res.seconds = time.monotonic() - t0
        return res


def _read_delta(delta, res: RunResult) -> None:
    if delta.WhichOneof("type") != "new_element":
        return
    el = delta.new_element
    kind = el.WhichOneof("type")
    if kind == "exception":
        res.errors.append(f"exception: {el.exception.type}")
    elif kind == "alert":
        if el.alert.format == 1:  # ERROR: the error boundary's message or a refusal
            res.errors.append("error message: " + re.sub(r"\d+", "N", el.alert.body)[:60])
        elif el.alert.format == 4:
            res.success += 1
    elif kind in ("markdown", "html"):
        body = el.markdown.body if kind == "markdown" else el.html.body
        res.versions.extend(int(v) for v in VERSION_ATTR.findall(body))
    else:
        wid = getattr(getattr(el, kind), "id", "") if kind else ""
        if wid:
            res.widgets.append(wid)


def widget_id(res: RunResult, key: str) -> str | None:
    """The full id of the widget whose user key is `key` (Streamlit ids end with '-<key>')."""
    return next((wid for wid in res.widgets if wid.endswith("-" + key)), None)


# ----------------------------------------------------------------------------------------------- plan

@dataclass
class Plan:
    """Who does what: accounts, regions and pages, drawn from the database."""

    readers: list[tuple[str, str]]  # (username, "username:level" key of plan.regions) per reader
    regions: dict[str, list[str]]  # username → region codes it may look at (in its scope)
    writers: list[tuple[str, str]]  # (username, region code)
    screens: list[str]  # region codes


def make_plan(url: str, n_readers: int, n_writers: int, n_screens: int, rng: random.Random) -> Plan:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            names = set(s.execute(sa.select(UserAccount.username)).scalars())
            from core.auth import actor_for_username

            scopes = {}
            for user in {u for u, _ in READER_ROLES} | set(WRITER_ROLES) | {"screen_viewer"}:
                if user in names:
                    found = actor_for_username(s, user)
                    if found:
                        scopes[user] = found[0].scope
            regions: dict[str, list[str]] = {}
            for user, level in READER_ROLES + tuple((u, "county") for u in WRITER_ROLES):
                sc = scopes.get(user)
                if sc is None:
                    continue
                codes = [str(c) for c in s.execute(sa.select(Region.id).where(Region.level == level,
                                                                               Region.id.between(sc.lo, sc.hi))
                                                   .order_by(Region.id)).scalars()]
                regions.setdefault(f"{user}:{level}", codes or [str(sc.lo)])
            top = str(s.execute(sa.select(Region.id).where(Region.parent_id.is_(None))).scalar())
    finally:
        engine.dispose()
    roles = [(u, lv) for u, lv in READER_ROLES if f"{u}:{lv}" in regions]
    readers = [(roles[i % len(roles)][0], ":".join(roles[i % len(roles)])) for i in range(n_readers)]
    writers_pool = [u for u in WRITER_ROLES if u in scopes]
    writers = []
    for i in range(n_writers):
        user = writers_pool[i % len(writers_pool)]
        codes = regions.get(f"{user}:county") or [top]
        writers.append((user, codes[i % len(codes)] if user == "city_admin" else codes[0]))
    return Plan(readers, {f"{u}:{lv}": regions[f"{u}:{lv}"] for u, lv in roles}, writers, [top] * n_screens)


# ----------------------------------------------------------------------------------------------- actors

@dataclass
class Stats:
    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # "page warm"/"page first"
    writes: list[float] = field(default_factory=list)
    acked: int = 0
    errors: Counter = field(default_factory=Counter)
    screen_seen: dict[int, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))  # screen → v → t
    fragment_ticks: list[float] = field(default_factory=list)
    server_writes: list[float] = field(default_factory=list)  # the write transactions, from the server logs


def page_name(page: str, user: str) -> str:
    """The page name the browser sends: the default page (the cockpit of a role without a desk) is served at ''."""
    from ui.nav import PAGE_ROLES

    return "" if page == "cockpit" and user not in PAGE_ROLES["desk"] else page


def sign_in(url: str, users: set[str], secret: str) -> dict[str, str]:
    """A live session row per account (as the sign-in form makes one); username → the Cookie header."""
    from core.auth import start_session

    engine = make_engine(url)
    try:
        return {u: f"{AuthConfig().cookie_name}={start_session(engine, u, now=datetime.now(), secret=secret, hours=8)}"
                for u in sorted(users)}
    finally:
        engine.dispose()


async def reader(k: int, base: str, user: str, level_key: str, plan: Plan, args, stats: Stats, stop: float,
                 rng: random.Random) -> None:
    sess = StreamlitSession(base, args.cookies[user], args.timeout)
    seen_pages: set[str] = set()
    try:
        await sess.connect()
        await asyncio.sleep(rng.uniform(0, args.think))  # spread the first loads
        i = k
        while time.monotonic() < stop:
            page = READER_PAGES[i % len(READER_PAGES)]
            i += 1
            code = rng.choice(plan.regions[level_key])
            res = await sess.run(page_name(page, user), {"region": code})
            for e in res.errors:
                stats.errors[f"{page}: {e}"] += 1
            if res.status in (0, 3) and not res.errors:
                stats.pages[f"{page} {'warm' if page in seen_pages else 'first'}"].append(res.seconds)
            seen_pages.add(page)
            await asyncio.sleep(rng.expovariate(1 / args.think) if args.think else 0)
    except Exception as err:  # noqa: BLE001 — counted by kind, the run goes on
        stats.errors[f"reader: {type(err).__name__}"] += 1
    finally:
        await sess.close()


async def screen(k: int, base: str, code: str, args, stats: Stats, stop: float) -> None:
    sess = StreamlitSession(base, args.cookies["screen_viewer"], args.timeout)
    query = {"screen": "big", "region": code}
    try:
        await sess.connect()
        res = await sess.run("", query)
        _screen_saw(stats, k, res)
        for e in res.errors:
            stats.errors[f"screen: {e}"] += 1
        tick = res.auto_rerun
        if tick is None:
            stats.errors["screen: no auto_rerun"] += 1
            return
        while time.monotonic() < stop:
            await asyncio.sleep(tick[0])
            res = await sess.run("", query, fragment_id=tick[1])
            stats.fragment_ticks.append(res.seconds)
            _screen_saw(stats, k, res)
            for e in res.errors:
                stats.errors[f"screen: {e}"] += 1
            tick = res.auto_rerun or tick
    except Exception as err:  # noqa: BLE001
        stats.errors[f"screen: {type(err).__name__}"] += 1
    finally:
        await sess.close()


def _screen_saw(stats: Stats, k: int, res: RunResult) -> None:
    now = time.monotonic()
    for v in res.versions:
        stats.screen_seen[k].setdefault(v, now)


async def writer(k: int, base: str, user: str, code: str, args, stats: Stats, stop: float, tag: str) -> None:
    sess = StreamlitSession(base, args.cookies[user], args.timeout)
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    query = {"region": code}
    n = 0
    try:
        await sess.connect()
        res = await sess.run("tasks", query)
        note_id, button_id = widget_id(res, "urge-note"), widget_id(res, "urge-btn")
        if not (note_id and button_id):
            stats.errors[f"writer {user}: no 催办 on the tasks page"] += 1
            return
        period = 1 / args.write_rate
        nxt = time.monotonic() + random.uniform(0, period)
        while time.monotonic() < stop:
            await asyncio.sleep(max(0.0, nxt - time.monotonic()))
            nxt += period
            n += 1
            note = WidgetState(id=note_id, string_value=f"{tag}:{k}:{n}")
            press = WidgetState(id=button_id, trigger_value=True)
            res = await sess.run("tasks", query, [note, press])
            for e in res.errors:
                stats.errors[f"write: {e}"] += 1
            if res.success and res.status == 0:
                stats.acked += 1
                stats.writes.append(res.seconds)
            elif not res.errors:
                stats.errors["write: no success message"] += 1
            if time.monotonic() > nxt:  # fell behind: do not burst to catch up
                nxt = time.monotonic()
    except Exception as err:  # noqa: BLE001
        stats.errors[f"writer: {type(err).__name__}"] += 1
    finally:
        await sess.close()


# ----------------------------------------------------------------------------------------------- monitors

class Monitor(threading.Thread):
    """Samples the servers' RSS and CPU (process + children) every second, and the data version every 0.1 s."""

    def __init__(self, pids: list[int], url: str) -> None:
        super().__init__(daemon=True)
        self.procs = [psutil.Process(p) for p in pids]
        self.url = url
        self.rss: list[float] = []
        self.cpu: list[float] = []
        self.version_at: dict[int, float] = {}
        self.halt = threading.Event()

    def _tree(self) -> list[psutil.Process]:
        out = []
        for p in self.procs:
            with contextlib.suppress(psutil.Error):
                out += [p, *p.children(recursive=True)]
        return out

    def run(self) -> None:
        engine = make_engine(self.url)
        tree = self._tree()
        for p in tree:
            with contextlib.suppress(psutil.Error):
                p.cpu_percent(None)
        last = 0.0
        try:
            while not self.halt.is_set():
                with Session(engine) as s:
                    v = data_version(s)
                self.version_at.setdefault(v, time.monotonic())
                if time.monotonic() - last >= 1.0:
                    last = time.monotonic()
                    rss = cpu = 0.0
                    for p in self._tree():
                        with contextlib.suppress(psutil.Error):
                            rss += p.memory_info().rss
                            cpu += p.cpu_percent(None)
                    self.rss.append(rss / 2**20)
                    self.cpu.append(cpu)
                self.halt.wait(0.1)
        finally:
            engine.dispose()


# ----------------------------------------------------------------------------------------------- report

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float | None]:
    def ms(q: float) -> int | None:
        return round(pct(values, q) * 1000) if values else None

    return {"n": len(values), "p50_ms": ms(50), "p95_ms": ms(95), "p99_ms": ms(99),
            "max_ms": round(max(values) * 1000) if values else None}


def _row(name: str, s: dict) -> str:
    cells = "".join(f"{'—' if s[k] is None else s[k]:>9}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
    return f"{name:<18}{s['n']:>6}{cells}"


def visibility(stats: Stats, version_at: dict[int, float], n_screens: int, end: float) -> dict:
    """For each data version the database reached: seconds until every screen showed it (or a later one)."""
    lags, missed = [], 0
    for v, t in sorted(version_at.items()):
        if v == min(version_at):
            continue  # the version at the start: not a write of this run
        worst = 0.0
        for k in range(n_screens):
            shown = [ts for sv, ts in stats.screen_seen.get(k, {}).items() if sv >= v]
            if not shown:
                worst = None
                break
            worst = max(worst, min(shown) - t)
        if worst is None:
            if end - t > 2 * TARGETS["visible_s"]:
                missed += 1
        else:
            lags.append(max(0.0, worst))
    return {"versions": len(lags), "p50_s": round(pct(lags, 50), 1) if lags else None,
            "p95_s": round(pct(lags, 95), 1) if lags else None, "max_s": round(max(lags), 1) if lags else None,
            "not_shown": missed}


SERVER_WRITE = re.compile(r"INFO xingcun: write (\w+) ([\d.]+) ms")


def server_write_times(logs: list[Path]) -> list[float]:
    """Seconds of each write's transaction (commit included) as the servers logged them (ui.data.write_timer)."""
    out = []
    for path in logs:
        with contextlib.suppress(OSError):
            out += [float(m.group(2)) / 1000 for m in SERVER_WRITE.finditer(path.read_text(errors="replace"))]
    return out


def count_written(url: str, tag: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            te = TaskEvent.__table__.c
            return int(s.execute(sa.select(sa.func.count()).select_from(TaskEvent.__table__)
                                 .where(te.note.like(f"{tag}:%"))).scalar() or 0)
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------------------------- main

def parse(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    ap.add_argument("--database", default="", help="database URL (default: the preset's SQLite file)")
    ap.add_argument("--preset", default="city", help="county or city: its data/ file when --database is not given")
    ap.add_argument("--pg-from", default="", help="load this SQLite file into a new database 'xc_load' on the "
                    "PostgreSQL server of --database (or TEST_DATABASE_URL) by COPY, timed, and run on it")
    ap.add_argument("--url", action="append", default=[], help="drive this running server instead (repeatable)")
    ap.add_argument("--servers", type=int, default=1, help="servers to start on the database (sessions split)")
    ap.add_argument("--sessions", type=int, default=50, help="all sessions: readers + screens + writers")
    ap.add_argument("--writers", type=int, default=5)
    ap.add_argument("--write-rate", type=float, default=1.0, help="writes per second per writer")
    ap.add_argument("--screens", type=int, default=5, help="big-screen sessions (auto refresh)")
    ap.add_argument("--refresh", type=float, default=30.0, help="the screens' refresh interval, s")
    ap.add_argument("--think", type=float, default=5.0, help="a reader's mean pause between pages, s")
    ap.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    ap.add_argument("--warmup", type=float, default=0.0, help="seconds of readers only before the clock starts")
    ap.add_argument("--timeout", type=float, default=120.0, help="one rerun's limit, s")
    ap.add_argument("--secret", default="", help="the servers' XINGCUN_SECRET (with --url)")
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--label", default="", help="a name for the results file")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return ap.parse_args(argv)


def database_for(args) -> str:
    if args.pg_from:
        from seed import pg

        server = args.database or os.environ.get("TEST_DATABASE_URL", "")
        if not server.startswith("postgres"):
            sys.exit("bench.load: --pg-from needs a PostgreSQL server (--database or TEST_DATABASE_URL)")
        t0 = time.monotonic()
        url = pg.create_database(server, "xc_load")
        counts = pg.load_sqlite(Path(args.pg_from), url)
        args.pg_load_s = round(time.monotonic() - t0, 1)
        print(f"bench.load: {args.pg_from} → PostgreSQL by COPY: {sum(counts.values()):,} rows in {args.pg_load_s} s",
              flush=True)
        return url
    if args.database:
        return args.database
    from bench import presets

    path = presets.candidates(args.preset)[0]
    if not path.exists():
        sys.exit(f"bench.load: {path} is missing — make seed (city) or make bench (county) builds it")
    return f"sqlite:///{path}"


async def drive(args, bases: list[str], plan: Plan, stats: Stats, tag: str) -> tuple[float, float]:
    rng = random.Random(args.seed)
    start = time.monotonic()
    stop = start + args.warmup + args.duration
    tasks = []
    for k, (user, level_key) in enumerate(plan.readers):
        tasks.append(reader(k, bases[k % len(bases)], user, level_key, plan, args, stats, stop,
                            random.Random(rng.random())))
    for k, code in enumerate(plan.screens):
        tasks.append(screen(k, bases[(k + 1) % len(bases)], code, args, stats, stop))
    if args.warmup:
        await asyncio.sleep(args.warmup)
    for k, (user, code) in enumerate(plan.writers):
        tasks.append(writer(k, bases[k % len(bases)], user, code, args, stats, stop, tag))
    await asyncio.wait_for(asyncio.gather(*tasks), args.warmup + args.duration + args.timeout + 30)
    return start + args.warmup, time.monotonic()


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    url = database_for(args)
    servers = []
    from harness.browser import E2E_SECRET, start_server

    if args.url:
        bases, pids = args.url, []
        args.secret = args.secret or os.environ.get("XINGCUN_SECRET", "")
    else:
        env = {"DATABASE_URL": url, "XINGCUN_REFRESH_SECONDS": str(args.refresh)}
        for _ in range(args.servers):
            servers.append(start_server(env=env, timeout=180))
        bases, pids = [s.url for s in servers], [s.proc.pid for s in servers]
        args.secret = E2E_SECRET
    n_readers = max(0, args.sessions - args.writers - args.screens)
    plan = make_plan(url, n_readers, args.writers, args.screens, random.Random(args.seed))
    args.cookies = sign_in(url, {u for u, _ in plan.readers} | {u for u, _ in plan.writers}
                           | ({"screen_viewer"} if plan.screens else set()), args.secret)
    tag = f"load-{uuid.uuid4().hex[:8]}"
    stats = Stats()
    load_before = os.getloadavg()
    mon = Monitor(pids, url)
    mon.start()
    print(f"bench.load: {len(bases)} server(s) on {display_url(url)}; {n_readers} readers, {args.screens} screens, "
          f"{args.writers} writers × {args.write_rate}/s, {args.duration:.0f} s; loadavg {load_before[0]:.2f}",
          flush=True)
    try:
        t_start, t_end = asyncio.run(drive(args, bases, plan, stats, tag))
    finally:
        mon.halt.set()
        mon.join(10)
        for s in servers:
            s.stop()
    load_after = os.getloadavg()
    written = count_written(url, tag)
    stats.server_writes = server_write_times([srv.log_path for srv in servers])
    result = report(args, url, bases, stats, mon, plan, t_start, t_end, written, load_before, load_after)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"load-{datetime.now():%Y%m%d-%H%M%S}{'-' + args.label if args.label else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"→ bench/results/{name}")
    return 1 if args.strict and not result["all_targets_met"] else 0


def report(args, url, bases, stats: Stats, mon: Monitor, plan: Plan, t_start: float, t_end: float, written: int,
           load_before, load_after) -> dict:
    pages = {k: summary(v) for k, v in sorted(stats.pages.items())}
    warm_all = [x for k, v in stats.pages.items() if k.endswith("warm") for x in v]
    reads_all = [x for v in stats.pages.values() for x in v]
    writes = summary(stats.writes)
    vis = visibility(stats, {v: t for v, t in mon.version_at.items() if t <= t_end}, len(plan.screens), t_end)
    rss_peak = max(mon.rss) if mon.rss else None
    cpu_mean = statistics.fmean(mon.cpu) if mon.cpu else None
    lost = stats.acked - written
    checks = {
        "reader warm p95 ≤ 600 ms": pct(warm_all, 95) * 1000 <= TARGETS["reader_warm_p95_ms"] if warm_all else False,
        "write p95 ≤ 300 ms": pct(stats.writes, 95) * 1000 <= TARGETS["write_p95_ms"] if stats.writes else False,
        "0 errors": sum(stats.errors.values()) == 0,
        "0 lost writes": lost == 0,
        "server RSS ≤ 2 GB": rss_peak is not None and rss_peak <= TARGETS["rss_mb"],
        "write on every screen ≤ 35 s": vis["max_s"] is not None and vis["max_s"] <= TARGETS["visible_s"]
        and vis["not_shown"] == 0,
    }
    if not plan.screens:
        checks.pop("write on every screen ≤ 35 s")
    if not args.writers:
        for k in ("write p95 ≤ 300 ms", "0 lost writes"):
            checks.pop(k)
    elapsed = t_end - t_start
    print(f"\n{'page':<18}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for k, s in pages.items():
        print(_row(k, s))
    ws, wa = summary(warm_all), summary(reads_all)
    print(_row("all warm", ws))
    print(_row("all reads", wa))
    print(_row("write 催办", writes))
    server_writes = summary(stats.server_writes)
    if stats.server_writes:
        print(_row("  of it in the db", server_writes))
    if stats.fragment_ticks:
        print(_row("screen tick", summary(stats.fragment_ticks)))
    print(f"\nwrites acknowledged {stats.acked}, rows written {written}, lost {lost}; "
          f"{stats.acked / elapsed if elapsed else 0:.2f} writes/s over {elapsed:.0f} s; "
          f"{len(reads_all) / elapsed if elapsed else 0:.2f} page views/s")
    print(f"write → every screen: {vis}")
    print(f"errors: {dict(stats.errors) or 0}")
    if rss_peak is not None and cpu_mean is not None:
        print(f"server RSS peak {rss_peak:.0f} MB, CPU mean {cpu_mean:.0f} % (100 % = one core)")
    print(f"loadavg before {load_before[0]:.2f} / after {load_after[0]:.2f} (1-min); cores {os.cpu_count()}")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return {"at": datetime.now().isoformat(timespec="seconds"), "database": display_url(url), "servers": bases,
            "args": {k: v for k, v in vars(args).items() if k not in ("secret", "cookies")}, "pages": pages,
            "all_warm": ws, "all_reads": wa, "writes": writes, "acked": stats.acked, "written": written,
            "lost": lost, "server_writes": server_writes, "visibility": vis, "errors": dict(stats.errors), "rss_peak_mb": rss_peak,
            "rss_samples_mb": mon.rss, "cpu_mean_pct": cpu_mean, "loadavg_before": load_before,
            "loadavg_after": load_after, "cores": os.cpu_count(), "checks": checks,
            "all_targets_met": all(checks.values()), "elapsed_s": elapsed,
            "fragment_ticks": summary(stats.fragment_ticks)}


if __name__ == "__main__":
    raise SystemExit(main())
