"""Connections of the engine: the embedded DuckDB (memory limit, a spill folder per
connection) and the other Ibis backends, registered by name in :data:`CONNECTORS`."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis

from leadroi.errors import ParamsError
from leadroi.params import EngineSettings

__all__ = ["CONNECTORS", "duckdb_connection", "spill_directory", "spark_session",
           "missing_java"]


def duckdb_connection(settings: EngineSettings | None = None) -> Any:
    """An in-memory DuckDB Ibis connection with leadroi's settings.

    ``memory_limit`` and ``temp_directory`` come from the settings, else from
    ``$LEADROI_MEMORY_LIMIT`` / ``$LEADROI_TEMP_DIRECTORY``; beyond the limit DuckDB
    spills to a folder of its own in the temp directory (:func:`spill_directory`).
    """
    settings = settings or EngineSettings()
    con = ibis.duckdb.connect()
    base = settings.temp_directory or os.environ.get("LEADROI_TEMP_DIRECTORY") \
        or Path(tempfile.gettempdir()) / "leadroi-duckdb"
    spill = spill_directory(Path(base))
    weakref.finalize(con, shutil.rmtree, spill, ignore_errors=True)
    con.raw_sql(f"SET temp_directory = '{_sql_text(str(spill))}'")
    limit = settings.memory_limit or os.environ.get("LEADROI_MEMORY_LIMIT")
    if limit:
        con.raw_sql(f"SET memory_limit = '{_sql_text(limit)}'")
    if settings.threads:
        con.raw_sql(f"SET threads = {int(settings.threads)}")
    con.raw_sql("SET preserve_insertion_order = true")
    try:  # DuckDB refuses to change this setting inside Jupyter without ipywidgets
        con.raw_sql("SET enable_progress_bar = false")
    except Exception:  # noqa: BLE001
        pass
    return con


def spill_directory(base: Path) -> Path:
    """A new folder under ``base`` for one connection's spill files.

    DuckDB names its spill files the same in every process, so two reports spilling to
    one folder (``leadroi run --jobs 2``) would write into each other's files. Each
    connection gets ``run-<pid>@<host>-<random>``, removed when the connection is garbage
    collected or the process exits; folders left by processes of this host that no longer
    run (a killed kernel) are removed here.
    """
    base.mkdir(parents=True, exist_ok=True)
    host = socket.gethostname().replace("-", "_") or "host"
    for old in base.glob(f"run-*@{host}-*"):
        pid = old.name[len("run-"):].split("@", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}@{host}-", dir=base))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def _secrets(settings: EngineSettings) -> dict[str, str]:
    """The connection options held in environment variables (``secrets:``)."""
    out = {}
    for key, env in settings.secrets.items():
        if env not in os.environ:
            raise ParamsError(f"environment variable {env} (engine.secrets.{key}) is not set.",
                              key=f"engine.secrets.{key}")
        out[key] = os.environ[env]
    return out


def missing_java() -> str | None:
    """None when a Java runtime is found (Spark needs one), else how to install it."""
    import shutil

    home = os.environ.get("JAVA_HOME")
    if (home and Path(home, "bin", "java").exists()) or shutil.which("java"):
        return None
    return "sudo apt-get install -y openjdk-17-jre-headless"


def spark_session(settings: EngineSettings | None = None) -> Any:
    """The active Spark session, or a new one (``master``, default ``local[*]``).

    Sessions run in UTC so that timestamps read the same as in DuckDB; ``options`` are
    set as session configuration.
    """
    settings = settings or EngineSettings(backend="spark")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ParamsError("engine.backend spark needs pyspark: pip install 'leadroi[spark]'.",
                          key="engine.backend") from None
    if missing_java():
        raise ParamsError(f"Spark needs Java: {missing_java()}", key="engine.backend")
    active = SparkSession.getActiveSession()
    if active is not None and settings.master is None:
        return active
    builder = SparkSession.builder.master(settings.master or "local[*]") \
        .appName("leadroi") \
        .config("spark.sql.session.timeZone", "UTC") \
        .config("spark.sql.execution.arrow.pyspark.enabled", "true") \
        .config("spark.ui.enabled", "false") \
        .config("spark.ui.showConsoleProgress", "false") \
        .config("spark.sql.shuffle.partitions", "8")
    for key, value in {**settings.options, **_secrets(settings)}.items():
        builder = builder.config(key, str(value).lower() if isinstance(value, bool)
                                 else str(value))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _connect_duckdb(settings: EngineSettings) -> Any:
    return duckdb_connection(settings)


def _connect_spark(settings: EngineSettings) -> Any:
    return ibis.pyspark.connect(spark_session(settings))


def _connect_postgres(settings: EngineSettings) -> Any:
    options = {**settings.options, **_secrets(settings)}
    if settings.url:
        return ibis.connect(settings.url, **options)
    return ibis.postgres.connect(**options)


def _connect_bigquery(settings: EngineSettings) -> Any:
    return ibis.bigquery.connect(**settings.options, **_secrets(settings))


def _connect_snowflake(settings: EngineSettings) -> Any:
    return ibis.snowflake.connect(**settings.options, **_secrets(settings))


#: backend name (``engine.backend``) -> function(settings) -> Ibis connection
CONNECTORS: dict[str, Callable[[EngineSettings], Any]] = {
    "duckdb": _connect_duckdb, "spark": _connect_spark, "postgres": _connect_postgres,
    "bigquery": _connect_bigquery, "snowflake": _connect_snowflake,
}
