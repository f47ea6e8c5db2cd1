"""汇总表 (rollups): small tables that the pages read instead of raw history (province scale, issue #9).

Kinds:

- **Regional** rollups (`rollup_task_month`, `rollup_task_late`, `rollup_appeal_month`) hold one row
  per village and per ancestor region (township, county, city, province) × month, so a page of any
  level reads one region's rows. A write refreshes the village's rows from its raw rows (an
  indexed read of one village) and adds the difference to the ancestors' rows.
- **Keyed** rollups (`rollup_task_owner`, `rollup_appeal_grid`, `rollup_appeal_day`,
  `rollup_diary_month`) are refreshed by deleting and re-inserting the rows of one key (a village's
  owner, a grid) from the raw rows of that key.
- `rollup_indicator` (indicator_value per region of township level and above) and
  `rollup_village_score` (core.scoring): a write recounts its village-month's indicator values and their
  ancestors' rows and drops the month's stored scores through core.live (touch_task/touch_appeal with `now`,
  touch_village); readers compute a dropped month from the rollups until core.live.rescore_pending stores it
  again; the rebuild writes them all.
- `rollup_appeal_cube` (民情 cube, core.appeals.appeal_cube): appeals per region of township level and
  above × month × category × channel × closing level × on time × rating. A write recomputes its
  township's rows of the appeal's month (an indexed read) and adds the difference above.
- `rollup_warning` (core.appeal_warnings): the appeal warnings at the dataset's as-of day; an appeal write
  recomputes its village's rows.
- `rollup_leader_month` (core.leader_index): every village secretary's 领雁指数, dimensions and cadre
  score per month with indicator values; a task or appeal write recomputes its village's secretaries
  (their other inputs are written only by the generator).
- `rollup_decision_check` (core.decisions): every 议事决策's step check (skipped, out of order), so
  wide scopes count and list non-compliant decisions without their steps; decisions are written only by
  the generator, so only the rebuild writes it.

Rebuild (`rebuild_rollups`) is SQL, in two steps. `build_base` writes the village-, grid- and
township-keyed rows with one grouped INSERT … SELECT per raw table, on a table scan; each row
depends on one county's raw rows, so the generator's county workers run it on their own files and
the merge copies the rows (`BASE_TABLES`). `roll_up_regions` then sums each region level from the
level below (small tables), and computes the scores and warnings. The services call `touch_task` /
`touch_appeal` in the transaction of the write.

Modules: `common` (spans, table lists, month arithmetic), `regional`, `keyed`, `cube`, `indicator`,
`rebuild` (build_base, roll_up_regions, rebuild_rollups) and `upkeep` (touch_task, touch_appeal, touch_village:
the other record writes).
"""

from core.rollups.common import (
    ANCESTOR_SPANS,
    APPEAL_VALUES,
    BASE_TABLES,
    LEVEL_ORDER,
    ROLLUP_TABLES,
    SPANS,
    ancestors,
    last_day,
    shift_month,
)
from core.rollups.cube import CUBE, CUBE_KEYS, CUBE_VALUES
from core.rollups.keyed import KEYED
from core.rollups.rebuild import build_base, rebuild_rollups, roll_up_regions
from core.rollups.regional import APPEAL_MONTH, REGIONAL, TASK_LATE, TASK_MONTH, Regional
from core.rollups.upkeep import ROLLUP_LOCK_KEY, touch_appeal, touch_task, touch_village

__all__ = ["ANCESTOR_SPANS", "APPEAL_MONTH", "APPEAL_VALUES", "BASE_TABLES", "CUBE", "CUBE_KEYS", "CUBE_VALUES", "KEYED",
           "LEVEL_ORDER", "REGIONAL", "ROLLUP_LOCK_KEY", "ROLLUP_TABLES", "SPANS", "TASK_LATE", "TASK_MONTH", "Regional",
           "ancestors", "build_base", "last_day", "rebuild_rollups", "roll_up_regions", "shift_month", "touch_appeal",
           "touch_task", "touch_village"]
