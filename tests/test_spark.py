"""The sample quarter on Spark (local mode) gives the same by-channel numbers as DuckDB.

Marked ``spark``: ``pytest -m spark`` selects it. Needs the ``spark`` extra (pyspark) and
a Java runtime; without them it skips with the install command, unless
``LEADROI_REQUIRE_SPARK=1`` (CI), which makes it fail instead. One Spark session serves
the whole module. The touchpoints are left out: by-channel numbers do not use them
(attribution has its own tests), and they would double the Spark load time.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from leadroi.analysis import analyse
from leadroi.dataset import load_data
from leadroi.engine import Engine, missing_java
from leadroi.params import EngineSettings

pytestmark = pytest.mark.spark

COLUMNS = ["leads", "customers", "spend", "revenue", "roi", "cac"]


def _need(reason: str) -> None:
    if os.environ.get("LEADROI_REQUIRE_SPARK") == "1":
        pytest.fail(f"Spark is required (LEADROI_REQUIRE_SPARK=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def spark_engine():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _need("pyspark is not installed: pip install -e '.[spark]'")
    if missing_java():
        _need(f"Spark needs Java: {missing_java()}")
    engine = Engine.from_settings(EngineSettings(backend="spark", master="local[2]"))
    yield engine
    engine.con._session.stop()


@pytest.fixture(scope="module")
def quarter_params(sample_params):
    data = sample_params.data.model_copy(update={"touchpoints": None})
    return sample_params.model_copy(update={"data": data})


def test_engine_is_spark(spark_engine):
    assert spark_engine.backend == "pyspark"
    assert spark_engine.local.backend == "duckdb"


def test_sample_quarter_by_channel_same_as_duckdb(spark_engine, quarter_params):
    on_spark = load_data(quarter_params, spark_engine)
    on_duckdb = load_data(quarter_params)
    assert on_spark.quality.equals(on_duckdb.quality)  # same rows used and quarantined
    spark = analyse(on_spark, quarter_params).by_channel.set_index("channel")
    duck = analyse(on_duckdb, quarter_params).by_channel.set_index("channel")
    assert sorted(spark.index) == sorted(duck.index)
    spark = spark.loc[duck.index]
    for col in ("leads", "customers"):
        assert spark[col].astype(int).tolist() == duck[col].astype(int).tolist(), col
    for col in ("spend", "revenue", "roi", "cac"):
        np.testing.assert_allclose(spark[col].astype(float), duck[col].astype(float),
                                   rtol=1e-9, equal_nan=True, err_msg=col)
    assert duck["leads"].sum() > 1000  # the quarter really has data
