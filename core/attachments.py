"""附件 (attachments): photos and PDFs for task completions, 议事决策 steps and appeals.

A file is accepted when its *content* is a JPEG, PNG, WebP or PDF (the name and the browser's type are not
trusted) and it is at most `ATTACHMENTS.max_bytes`; anything else gets one refusal and nothing is stored.
Files live beside the database (`<db>.files/` for SQLite, so a backup of the folder holds both) under
`<owner kind>/<owner id>/`, named by their SHA-256, each with a small JSON record of who uploaded it, when,
and its original name. The database finds them again by the owner: a task event, a decision step, an
appeal event.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.config import ATTACHMENTS, DATA_DIR, AttachmentConfig, get_settings
from core.errors import DomainError

OWNER_KINDS = ("task_event", "decision_step", "appeal_event")
FILES_ENV = "XINGCUN_FILES_DIR"


class AttachmentRejected(DomainError):
    """A file that is not a photo or PDF, or too large: nothing was stored."""


@dataclass(frozen=True)
class StoredFile:
    """One stored attachment: where it is, what it is, who uploaded it and when."""

    path: Path
    name: str
    mime: str
    size: int
    sha256: str
    uploaded_at: datetime
    person_id: int


def sniff(data: bytes) -> tuple[str, str] | None:
    """(mime type, extension) from the first bytes of a photo or PDF, or None for anything else."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg", "jpg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png", "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if data[:5] == b"%PDF-":
        return "application/pdf", "pdf"
    return None


def files_root(database_url: str | None = None) -> Path:
    """The folder holding the attachments of the configured database (beside a SQLite file)."""
    url = database_url or get_settings().database_url
    if os.environ.get(FILES_ENV):
        return Path(os.environ[FILES_ENV])
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        db = Path(url.removeprefix("sqlite:///"))
        return db.with_name(db.name + ".files")
    return DATA_DIR / "files"


def check_files(files: Sequence[tuple[str, bytes]], cfg: AttachmentConfig = ATTACHMENTS) -> list[tuple[str, str]]:
    """(mime, extension) of each (name, content), or AttachmentRejected naming the first bad file."""
    if len(files) > cfg.max_files:
        raise AttachmentRejected(f"每次最多上传 {cfg.max_files} 个附件")
    kinds = []
    for name, data in files:
        if len(data) > cfg.max_bytes:
            raise AttachmentRejected(f"附件「{name}」超过 {cfg.max_bytes // (1024 * 1024)} MB，未保存任何附件")
        kind = sniff(data)
        if kind is None:
            raise AttachmentRejected(f"附件「{name}」不是照片（JPEG/PNG/WebP）或 PDF，未保存任何附件")
        kinds.append(kind)
    return kinds


def store_files(owner_kind: str, owner_id: int, files: Sequence[tuple[str, bytes]], *, person_id: int,
                now: datetime, root: Path | None = None) -> list[StoredFile]:
    """Store already-checked files for one owner; returns them. Call `check_files` before writing the owner."""
    if owner_kind not in OWNER_KINDS:
        raise ValueError(owner_kind)
    kinds = check_files(files)
    folder = (root or files_root()) / owner_kind / str(int(owner_id))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for (name, data), (mime, ext) in zip(files, kinds, strict=True):
        digest = hashlib.sha256(data).hexdigest()
        path = folder / f"{digest[:24]}.{ext}"
        path.write_bytes(data)
        base = Path(name).name[:128]
        record = {"name": base, "mime": mime, "size": len(data), "sha256": digest,
                  "uploaded_at": now.isoformat(), "person_id": int(person_id)}
        path.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False))
        out.append(StoredFile(path, base, mime, len(data), digest, now, int(person_id)))
    return out


def files_of(owner_kind: str, owner_id: int, root: Path | None = None) -> list[StoredFile]:
    """The stored attachments of one owner, oldest first (empty when it has none)."""
    folder = (root or files_root()) / owner_kind / str(int(owner_id))
    if not folder.is_dir():
        return []
    out = []
    for meta in folder.glob("*.json"):
        rec = json.loads(meta.read_text())
        data_path = next((p for p in folder.glob(meta.stem + ".*") if p.suffix != ".json"), None)
        if data_path is not None:
            out.append(StoredFile(data_path, rec["name"], rec["mime"], int(rec["size"]), rec["sha256"],
                                  datetime.fromisoformat(rec["uploaded_at"]), int(rec["person_id"])))
    return sorted(out, key=lambda f: (f.uploaded_at, f.name))
