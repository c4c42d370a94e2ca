"""What every params model shares: unknown keys are errors, values are frozen."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

__all__ = ["Strict", "ID"]


#: A report or campaign id: letters, digits, '.', '_' or '-'.
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
