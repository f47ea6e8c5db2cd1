"""Small hand-made county files for the importer's tests (新昌 330624: one township, two villages, a grid each)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa
from sqlmodel import Session

from core.db import make_engine
from core.importer.load import load_files
from core.importer.schema import SHEET_BY_KEY
from core.migrate import upgrade

NOW = datetime(2026, 11, 2, 9, 0)
Rows = dict[str, list[dict[str, Any]]]


def base() -> Rows:
    """A small valid county: one township, two villages with a grid each, two people, a task, an appeal."""
    return {
        "dataset": [{"county_code": "330624", "as_of": "2026-10-31", "start": "2025-11-01"}],
        "matter_types": [{"code": "M-01", "name": "矛盾调解", "level": "village", "module": "safety", "on_list": "是",
                          "emergency": "否", "difficulty": 3}],
        "regions": [
            {"code": "330624101000", "name": "甲镇", "level": "township", "kind": "town", "area_km2": 50,
             "population": 9000, "households": 3000},
            {"code": "330624101001", "name": "甲村", "level": "village", "kind": "village", "area_km2": 5,
             "population": 900, "households": 300},
            {"code": "330624101002", "name": "乙村", "level": "village", "kind": "village", "area_km2": 6,
             "population": 800, "households": 280},
        ],
        "grids": [
            {"code": "330624101001001", "village_id": "330624101001", "name": "甲村1网格", "households": 100,
             "population": 300, "worker_id": "P1"},
            {"code": "330624101002001", "village_id": "330624101002", "name": "乙村1网格", "households": 90,
             "population": 260},
        ],
        "people": [
            {"post_ext_id": "G1", "person_ext_id": "P1", "name": "张三", "gender": "M", "birth_year": 1980,
             "phone": "13800000001", "region_id": "330624101001", "grid_id": "330624101001001", "role": "grid_worker",
             "title": "甲村1网格 网格员", "since": "2024-01-01", "active": "是", "username": "zhangsan"},
            {"post_ext_id": "G2", "person_ext_id": "P2", "name": "李四", "gender": "F", "birth_year": 1975,
             "phone": "13800000002", "region_id": "330624101000", "role": "town_admin", "title": "甲镇 管理员",
             "since": "2023-05-01", "active": "是"},
        ],
        "tasks": [task("RW1")],
        "appeals": [appeal("SQ1")],
        "party_meetings": [{"record_ext_id": "MT1", "village_id": "330624101001", "kind": "theme_day",
                            "held_on": "2026-03-05", "expected": 20, "attended": 18}],
    }


def task(code: str, **change: Any) -> dict[str, Any]:
    return {"code": code, "title": "甲村·矛盾调解", "category": "township", "module": "safety", "matter_type_id": "M-01",
            "difficulty": 3, "dispatcher_id": "P2", "dispatcher_region_id": "330624101000", "village_id": "330624101001",
            "owner_id": "P1", "status": "dispatched", "dispatched_at": "2026-03-05 09:00", "deadline": "2026-03-20",
            **change}


def appeal(ext: str, **change: Any) -> dict[str, Any]:
    return {"appeal_ext_id": ext, "village_id": "330624101001", "grid_id": "330624101001001", "category": "环境卫生",
            "channel": "12345", "reported_at": "2026-03-05 09:00", "due_at": "2026-03-10 09:00", "status": "closed",
            "closed_at": "2026-03-07 16:00", "level": "village", "closing_level": "village", **change}


def workbook(path: Path, sheets: Rows) -> Path:
    """The rows as a workbook in the template's layout (every column, in order, Chinese headers)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for key, rows in sheets.items():
        sheet = SHEET_BY_KEY[key]
        ws = book.create_sheet(sheet.zh)
        ws.append([c.header("zh") for c in sheet.columns])
        for row in rows:
            ws.append([row.get(c.key) for c in sheet.columns])
    book.save(path)
    return path


def empty_db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "county.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url, path


def load(url: str, *files: Path, dry_run: bool = False):
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            out = load_files(session, list(files), now=NOW, dry_run=dry_run)
            if out.ok and not dry_run:
                session.commit()
            else:
                session.rollback()
        return out
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
