"""Where the canonical tables live and the aggregation runs (``engine:``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from leadroi.params._base import Strict
from leadroi.params.sources import mask_url

__all__ = ["EngineSettings", "BACKENDS"]


#: Backends an ``engine:`` can name (``spark`` is Spark SQL through ``pyspark``).
BACKENDS = ("duckdb", "spark", "postgres", "bigquery", "snowflake")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_SECRET_WORDS = ("password", "secret", "token", "private_key", "credentials")


class EngineSettings(Strict):
    """Where the canonical tables live and the aggregation runs (see ``leadroi.engine``).

    DuckDB (embedded, the default) spills to ``temp_directory`` beyond ``memory_limit``.
    Spark, PostgreSQL, BigQuery and Snowflake run the same Ibis expressions; ``options``
    are passed to the backend's connection (Spark: session configuration). Secrets are
    never written here: ``secrets`` maps a connection option to the *name* of the
    environment variable holding its value.
    """

    backend: Literal["duckdb", "spark", "postgres", "bigquery", "snowflake"] = "duckdb"
    memory_limit: str | None = Field(
        None, pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)$",
        description="DuckDB memory limit (4GB, 80%); default: DuckDB's own (80% of RAM) "
        "or $LEADROI_MEMORY_LIMIT.")
    temp_directory: Path | None = Field(
        None, description="Where DuckDB spills; default: $LEADROI_TEMP_DIRECTORY or the "
        "system temp folder.")
    threads: int | None = Field(None, ge=1, description="DuckDB threads; default: all cores.")
    master: str | None = Field(None, description="Spark master (local[2], spark://host:7077, "
                               "yarn); default: the active session or local[*].")
    url: str | None = Field(None, description="Connection URL without password "
                            "(postgres://user@host:5432/db).")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Backend connection options (Spark: session "
        "configuration; BigQuery: project_id, dataset_id; Snowflake: account, user ...).")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="{connection option: environment variable name}, "
        "e.g. {password: SNOWFLAKE_PASSWORD}.")

    @field_validator("secrets")
    @classmethod
    def _check_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        for key, env in value.items():
            if not _ENV_NAME.match(env):
                raise ValueError(f"secrets.{key} must name an environment variable "
                                 f"(like {key.upper()}_ENV), not hold the secret itself")
        return value

    @field_validator("options")
    @classmethod
    def _check_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if any(word in key.lower() for word in _SECRET_WORDS):
                raise ValueError(f"'{key}' is a secret: put the name of the environment "
                                 f"variable holding it under `secrets:` instead")
        return value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and mask_url(value) != value:
            raise ValueError("leave the password out of the URL; name its environment "
                             "variable under `secrets: {password: ...}`")
        return value
