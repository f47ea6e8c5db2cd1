"""One settings object for the whole product: database, presets, thresholds and weights.

Everything a page or service needs to tune lives here (or in versioned rule rows),
never as a literal in page code. Read from the environment by `get_settings()`;
tests call `reset_settings()` after changing the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

#: The generator's fixed "as of" date (数据截至): twelve months of history end here.
DEFAULT_AS_OF = date(2026, 10, 31)


@dataclass(frozen=True)
class Preset:
    """Size of a demo dataset (SPEC §10)."""

    name: str
    root_code: str  # 6-digit adcode of the root region
    grid_mean: float  # average grids per village
    tasks_per_village_year: float
    appeals_per_village_year: float
    months: int
    #: Each county worker runs PRAGMA foreign_key_check on its rows. The province preset skips it (about 4 %
    #: of its CPU): the same generator code is checked on every smaller preset, the test suite's included.
    check_foreign_keys: bool = True


PRESETS: dict[str, Preset] = {
    "county": Preset("county", "330681", 8.0, 155.0, 480.0, 12),
    "city": Preset("city", "330600", 4.0, 145.0, 470.0, 12),
    # ≈10M tasks and ≈30M appeals over 36 months on ≈24,000 villages (issue #9: a real province has ~4M tasks and ~12M appeals a year)
    "province": Preset("province", "330000", 3.5, 135.0, 365.0, 36, check_foreign_keys=False),
    # A small county with light history, for the test suite (seconds, not minutes).
    "tiny": Preset("tiny", "330624", 3.0, 40.0, 90.0, 12),
    # The real 绍兴 city layout with thin history: city-level tests in seconds.
    "city_lite": Preset("city_lite", "330600", 3.0, 6.0, 12.0, 12),
}
DEFAULT_PRESET = "city"


@dataclass(frozen=True)
class AlertRules:
    """任务预警规则: reminder before the deadline, escalation ladder after it (days)."""

    remind_days_before: int = 2
    escalate_town_after: int = 3
    escalate_county_after: int = 7


@dataclass(frozen=True)
class WarningConfig:
    """事件预警 thresholds (SPEC §6): every detector reads its threshold from here."""

    new_lookback_months: int = 6  # 新苗头: category absent this many months before
    new_min_count: int = 3
    high_z: float = 5.5  # 高发/多发 (also 顽疾, 突发): Poisson z (Anscombe) against the place's own baseline
    high_min_count: int = 8
    burst_window_hours: int = 48  # 突发/群发
    burst_min_count: int = 8
    chronic_months: int = 6  # 顽疾: months in a row above baseline at the same grid
    silent_days: int = 30  # a village that stops reporting
    silent_min_expected: float = 5.0  # 停报 only where the baseline expects at least this many in silent_days
    decision_limit_days: int = 90  # 议事决策 open longer than this
    recent_days: int = 30  # the 近N天预警 tiles count warnings whose window ends this recently


@dataclass(frozen=True)
class Target:
    """目标值 and 及格值 of one indicator (in its unit): the target scores 100, the pass mark 60 (`base`)."""

    target: float
    passing: float


#: Indicators with a fixed standard (the rules say how often a branch meets, what must be disclosed): scored
#: against it, so a village that meets the standard scores 100 however its peers do.
TARGETS: dict[str, Target] = {
    "pb_three_meetings": Target(target=100.0, passing=75.0),
    "pb_affairs_public": Target(target=100.0, passing=80.0),
    "sa_fire_checks": Target(target=100.0, passing=80.0),
    "sa_key_persons": Target(target=100.0, passing=85.0),
    "ec_waste_sorting": Target(target=95.0, passing=80.0),
}


@dataclass(frozen=True)
class ScoringConfig:
    """Ranking configuration (SPEC §4)."""

    module_weights: dict[str, float] = field(
        default_factory=lambda: {
            "party_building": 0.3,
            "economy": 0.25,
            "safety": 0.25,
            "public_service": 0.2,
        }
    )
    #: Below this many underlying cases (denominator) a rate is marked, not ranked.
    min_count: int = 5
    #: 功效系数法: score = base + span × position of the value between the peers' low and high percentiles
    #: (clipped to 0..1, inverted where lower is better), so the peers' range maps to 60–100, not 0–100.
    base: float = 60.0
    span: float = 40.0
    low_percentile: float = 5.0
    high_percentile: float = 95.0
    #: Indicators scored against a target instead of their peers (目标值 → 100, 及格值 → base).
    targets: dict[str, Target] = field(default_factory=lambda: dict(TARGETS))
    #: A value below the pass mark (及格值) scores less than `base`, but never below this floor.
    target_floor: float = 40.0
    #: 民情日记 一周一记: cadres per village who keep the diary (secretary, four committee members, the stationed cadre).
    diary_cadres: int = 6


@dataclass(frozen=True)
class AuthConfig:
    """Sign-in rules: lockout after repeated failures, session length."""

    max_failures: int = 5  # per typed user name, known or not
    lockout_minutes: int = 5
    client_max_failures: int = 30  # per client address within client_window_minutes (throttle)
    client_window_minutes: int = 10
    session_hours: int = 12
    cookie_name: str = "xingcun_session"
    demo_password: str = "xingcun2026"  # the generator's demo accounts, usable only in demo mode
    min_password_length: int = 10
    busy_retries: int = 5  # sign-in writes retried when the database is momentarily busy


@dataclass(frozen=True)
class ListLimits:
    """How long a pick list may get. At `wide_levels` the villages (and their cadres and task owners) run to
    thousands (a city) or ~24,000 (the province): the village record, the task filters and the 民情日记
    lists ask for an area first. The secretary pick list of the leaders page keeps at most `leader_pick`
    names (the best and worst halves; any other is picked by clicking its row in the ranking)."""

    wide_levels: tuple[str, ...] = ("province", "city")
    leader_pick: int = 2000


LIST_LIMITS = ListLimits()


@dataclass(frozen=True)
class OutlineConfig:
    """How finely the cockpit's SVG map draws the children's outlines (轮廓简化).

    Outlines are simplified (Douglas–Peucker, topology kept) by the larger of `min_tolerance` degrees and
    the children's extent divided by `extent_steps`: the drawing is ~1,000 units wide, so a step is below
    one screen pixel at any level, while a province's 11 city outlines shrink from ~5,800 to ~2,000 points.
    """

    min_tolerance: float = 0.002
    extent_steps: float = 600.0


OUTLINES = OutlineConfig()


@dataclass(frozen=True)
class BigScreenConfig:
    """大屏 (big screen): auto-refresh, carousel and alert flash settings.

    `refresh_seconds` (XINGCUN_REFRESH_SECONDS) is how often an open big screen checks the data
    signature; `carousel_views` and `dwell_seconds` are the defaults of `?carousel=…&dwell=…`; a click
    anywhere on the page holds the carousel `touch_pause_seconds`. The flash shows overdue tasks at
    `flash_task_levels` and early warnings of `flash_warning_kinds` whose window ended within
    `flash_warning_days` of the as-of day, grouped by region and kind, `flash_groups` groups at a time. On the wall views a list
    longer than its panel shows `wall_rows` rows at a time, each page `rotate_seconds` on screen.
    """

    refresh_seconds: float = 30.0
    carousel_views: tuple[str, ...] = ("cockpit", "rankings", "map", "tasks", "leaders")
    dwell_seconds: float = 20.0
    min_dwell_seconds: float = 3.0
    touch_pause_seconds: float = 30.0
    flash_task_levels: tuple[str, ...] = ("county",)
    flash_warning_kinds: tuple[str, ...] = ("burst", "high", "chronic", "new")
    flash_warning_days: int = 7
    rotate_seconds: float = 8.0
    flash_groups: int = 2
    wall_rows: int = 10


@dataclass(frozen=True)
class BriefingConfig:
    """简报 (generated report, core.briefing): when the narrative calls a change a rise or a fall, and its
    threshold sentences.

    A rate moving by less than `stable_points` percentage points (a score: `stable_score` points) is
    "持平"; completion, on-time and satisfaction below their floor (%) get a sentence saying so; a module
    score below `module_floor` is named as a weak spot. Lists in the report are cut at the `*_rows` sizes.
    """

    stable_points: float = 0.5
    stable_score: float = 0.5
    completion_floor: float = 95.0
    on_time_floor: float = 85.0
    satisfaction_floor: float = 85.0
    module_floor: float = 40.0
    movers: int = 3
    ranking_rows: int = 40
    chart_rows: int = 30
    task_rows: int = 10
    warning_rows: int = 12
    leader_rows: int = 5
    screening_rows: int = 5


@dataclass(frozen=True)
class Settings:
    """Process-wide settings, read once from the environment."""

    database_url: str
    as_of: date
    alert_rules: AlertRules = field(default_factory=AlertRules)
    warnings: WarningConfig = field(default_factory=WarningConfig)
    auth: AuthConfig = field(default_factory=AuthConfig)
    secret: str = ""  # signs session cookies; XINGCUN_SECRET, else a random per-install file under data/
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    demo_mode: bool = True
    busy_timeout_ms: int = 30_000
    #: How often (seconds) one app process re-reads the data version from the database: every session of the
    #: process shares that read, so a write through another server shows here at the next rerun after it.
    version_poll_seconds: float = 1.0
    big_screen: BigScreenConfig = field(default_factory=BigScreenConfig)
    briefing: BriefingConfig = field(default_factory=BriefingConfig)


def default_database_url() -> str:
    """SQLite file of the default (city) demo under data/."""
    return f"sqlite:///{DATA_DIR / 'xingcun.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment (DATABASE_URL, XINGCUN_AS_OF, XINGCUN_DEMO)."""
    as_of = os.environ.get("XINGCUN_AS_OF")
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or default_database_url(),
        as_of=date.fromisoformat(as_of) if as_of else DEFAULT_AS_OF,
        demo_mode=os.environ.get("XINGCUN_DEMO", "1") != "0",
        secret=check_secret(os.environ["XINGCUN_SECRET"]) if "XINGCUN_SECRET" in os.environ else _install_secret(),
        big_screen=_big_screen_from_env(),
    )


def _big_screen_from_env() -> BigScreenConfig:
    """Big-screen settings; XINGCUN_REFRESH_SECONDS shortens the refresh (browser tests use a few seconds)."""
    refresh = os.environ.get("XINGCUN_REFRESH_SECONDS")
    return BigScreenConfig(refresh_seconds=float(refresh)) if refresh else BigScreenConfig()


#: Shortest accepted secret (characters of XINGCUN_SECRET or data/.secret); a new one is 32 random bytes as hex.
MIN_SECRET_LENGTH = 32


class SecretError(RuntimeError):
    """The session secret is missing, empty or too short: the app refuses to start (one line)."""


def secret_path() -> Path:
    """Where the per-install secret lives (XINGCUN_SECRET_FILE, else data/.secret)."""
    return Path(os.environ.get("XINGCUN_SECRET_FILE") or DATA_DIR / ".secret")


def write_secret(path: Path | None = None) -> str:
    """Write a new secret of 32 random bytes (hex) atomically with mode 0600; returns it."""
    path = path or secret_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = os.urandom(32).hex()
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, value.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return value


def _install_secret() -> str:
    """The per-install secret from data/.secret, created (0600) on first start; refuses an empty or short one."""
    path = secret_path()
    if not path.exists():
        try:
            write_secret(path)
        except OSError as err:
            raise SecretError(f"无法写入会话密钥文件 {path}：{err.strerror} (cannot write the session secret)") from err
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # readable by others: tighten it (the key signs every session)
    value = path.read_text().strip()
    if len(value) < MIN_SECRET_LENGTH:
        raise SecretError(f"会话密钥 {path} 为空或少于 {MIN_SECRET_LENGTH} 个字符，拒绝启动；删除该文件后重启会重新生成"
                          f"（或运行 python -m core.accounts rotate-secret）。(session secret empty or too short)")
    return value


def check_secret(value: str) -> str:
    """`value` when it is long enough to sign sessions; SecretError otherwise."""
    if len(value) < MIN_SECRET_LENGTH:
        raise SecretError(f"XINGCUN_SECRET 为空或少于 {MIN_SECRET_LENGTH} 个字符，拒绝启动。(XINGCUN_SECRET empty or too short)")
    return value


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()


#: 默认考核规则 (因镇制宜 rules override it per township, versioned in `scoring_rule`).
DEFAULT_SCORING_RULE: dict = {
    "version": "default-v1",
    "cadre": {"task_points": 0.6, "democratic": 0.4, "honor_bonus": 1.0, "warning_deduction": 1.0},
    "leader_index": {
        "leadership": 0.2,
        "governance": 0.2,
        "development": 0.15,
        "service": 0.15,
        "integrity": 0.15,
        "reputation": 0.15,
    },
}


@dataclass(frozen=True)
class AttachmentConfig:
    """附件: photos and PDFs up to `max_bytes` each (type checked by content), at most `max_files` per action.

    Files live in a folder beside the SQLite database (`<name>.files/`, backed up with it) or, on PostgreSQL,
    in XINGCUN_FILES_DIR (default data/files)."""

    max_bytes: int = 10 * 1024 * 1024
    max_files: int = 5


ATTACHMENTS = AttachmentConfig()


@dataclass(frozen=True)
class DeskConfig:
    """我的工作台: how many items each list shows, and how far ahead "due soon" looks (days)."""

    list_rows: int = 200
    due_soon_days: int = 2
    search_results: int = 12


@dataclass(frozen=True)
class OneThingType:
    """一件事 type (集成联办, Quzhou): the lead department, the co-handling departments (county office names) and
    each party's time limit in days from the case's opening; the township confirms closure last."""

    lead: str
    co: tuple[str, ...]
    lead_days: int = 5
    co_days: int = 3
    township_days: int = 7


#: The listed 一件事 types (the access list of cross-department cases) and their parties.
ONE_THING_TYPES: dict[str, OneThingType] = {
    "违建处置": OneThingType("县综合行政执法局", ("县自然资源和规划局", "县住建局"), 5, 3, 10),
    "矛盾纠纷联调": OneThingType("县公安局", ("县民政局", "县人力社保局"), 3, 3, 7),
    "环境污染处置": OneThingType("县生态环境分局", ("县综合行政执法局", "县农业农村局"), 4, 3, 7),
    "安全隐患联治": OneThingType("县住建局", ("县市场监管局", "县公安局"), 3, 2, 5),
}


#: 道德银行 (SPEC §8, the Yuyao article): the five dimensions of the 五维图, in display order.
MORAL_DIMENSIONS = ("evaluation", "law", "integrity", "volunteer", "virtue")  # 道德评议 遵纪守法 诚实守信 志愿奉献 崇德向善
#: The 四级评议体系 (网格、村、镇、市): who evaluates a household.
MORAL_LEVELS = ("grid", "village", "township", "city")


@dataclass(frozen=True)
class MoralRule:
    """道德码 and 授信额度 of a household from its ledger: one versioned rule (change `version` with any figure).

    points = the sum of the household's ledger (evaluations and volunteer hours add, deductions subtract);
    code: red with a 失信被执行人 record in the last `lookback_days` or points below `yellow_min`; yellow with any
    other deduction in that window or points below `green_min`; else green. credit (元) = `credit_base` +
    `credit_per_point` × points, capped at `credit_cap`, times the code's factor, rounded down to
    `credit_step`. The defaults put a green household near the article's average line (89.08 亿元 over
    45,502 signed households ≈ 19.6 万元)."""

    version: str = "YY-2026.1"
    level_max: dict[str, float] = field(default_factory=lambda: {"grid": 3.0, "village": 5.0, "township": 8.0, "city": 10.0})
    points_per_hour: float = 1.0  # 志愿奉献: points per volunteer hour
    max_hours: float = 12.0  # one volunteer record
    deduction: dict[str, float] = field(default_factory=lambda: {"dishonest": 30.0, "penalty": 10.0})
    deduction_dimension: dict[str, str] = field(default_factory=lambda: {"dishonest": "integrity", "penalty": "law"})
    lookback_days: int = 365
    green_min: float = 60.0
    yellow_min: float = 0.0  # below it (a negative balance) red; a new household starts yellow, not red
    credit_base: float = 100_000.0
    credit_per_point: float = 1_000.0
    credit_cap: float = 300_000.0
    credit_factor: dict[str, float] = field(default_factory=lambda: {"green": 1.0, "yellow": 0.5, "red": 0.0})
    credit_step: float = 1_000.0


MORAL_RULE = MoralRule()
