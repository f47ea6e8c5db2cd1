"""The base class of every table model: SQLModel at run time; for mypy, SQLModel with the `__table__` it lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from sqlmodel import SQLModel

if TYPE_CHECKING:
    class TableModel(SQLModel):
        """What mypy sees of a `table=True` model: SQLModel's annotations lack the `__table__` SQLAlchemy sets."""

        __table__: ClassVar[sa.Table]
else:
    TableModel = SQLModel  # at run time the tables subclass SQLModel itself
