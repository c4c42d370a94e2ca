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

from leadroi.engine import Engine, missing_java
from leadroi.intake.dataset import load_data
from leadroi.params import EngineSettings
from leadroi.report.quarterly import analyse

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


def test_tables_of_the_spark_session_read_where_they_lie(spark_engine, quarter_params):
    """``table:`` without ``url:`` reads a table of the Spark session itself (here views
    made from the sample files, the spend with typed date and amount columns); the
    by-channel numbers equal DuckDB's from the files."""
    import pandas as pd

    session = spark_engine.con._session
    leads = pd.read_csv(quarter_params.data.leads.path, dtype=str, keep_default_na=False)
    spend = pd.read_csv(quarter_params.data.spend.path, dtype=str, keep_default_na=False)
    spend = spend.assign(date=pd.to_datetime(spend["date"], errors="coerce").dt.date,
                         amount=pd.to_numeric(spend["amount"], errors="coerce"))
    session.createDataFrame(leads).createOrReplaceTempView("crm_leads")
    session.createDataFrame(spend).createOrReplaceTempView("crm_spend")
    data = quarter_params.data.model_copy(update={
        "leads": quarter_params.data.leads.model_copy(update={"path": None,
                                                              "table": "crm_leads"}),
        "spend": quarter_params.data.spend.model_copy(update={"path": None,
                                                              "table": "crm_spend"}),
        "targets": None, "deals": None})
    params = quarter_params.model_copy(update={"data": data})
    on_spark = load_data(params, spark_engine)
    on_duckdb = load_data(quarter_params.model_copy(update={
        "data": quarter_params.data.model_copy(update={"targets": None, "deals": None})}))
    assert on_spark.files["detail"].tolist() == ["engine table crm_leads, not hashed",
                                                 "engine table crm_spend, not hashed"]
    cols = ["rows_in", "rows_used", "rows_quarantined"]
    assert on_spark.quality[cols].values.tolist() == on_duckdb.quality[cols].values.tolist()
    spark = analyse(on_spark, params).by_channel.set_index("channel")
    duck = analyse(on_duckdb, params).by_channel.set_index("channel").loc[spark.index]
    for col in ("leads", "customers"):
        assert spark[col].astype(int).tolist() == duck[col].astype(int).tolist(), col
    for col in ("spend", "revenue", "roi"):
        np.testing.assert_allclose(spark[col].astype(float), duck[col].astype(float),
                                   rtol=1e-9, equal_nan=True, err_msg=col)
