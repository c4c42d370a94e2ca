"""Loading the input tables: mapping, reconciliation, fixes, clear errors."""

import pandas as pd
import pytest
from conftest import lead

from leadroi.errors import DataError


def test_sample_reconciles_and_reports_its_defects(sample_data):
    q = sample_data.quality.set_index("table")
    assert (q["rows_in"] == q["rows_used"] + q["rows_quarantined"]).all()
    reasons = sample_data.reasons
    leads = reasons[reasons["table"] == "leads"].set_index("code")["rows"]
    assert leads["duplicate"] == 15 and leads["missing"] == 3
    assert leads["before_created"] == 6 and leads["negative"] == 2
    deals = reasons[reasons["table"] == "deals"].set_index("code")["rows"]
    assert deals["other_currency"] == 2 and deals["unreadable_amount"] == 2
    assert deals["before_lead_created"] == 2 and deals["orphan"] >= 2
    fixes = sample_data.fixes
    fixes = fixes[fixes["table"] == "leads"].set_index(["code", "column"])["rows"]
    assert fixes[("amount_format", "amount")] == 60
    assert fixes[("date_format", "created_at")] == 30
    assert fixes[("channel_folded", "channel")] == 25
    assert fixes[("placeholder", "region")] == 32
    assert len(sample_data.files) == 5 and sample_data.files["sha256"].str.len().eq(64).all()


def test_sample_channels_folded(sample_data):
    assert len(sample_data.channels()) == 8
    assert sample_data.as_of.isoformat() == "2026-10-31"


def test_quarantine_lists_every_row(sample_data):
    from leadroi.engine import collect

    q = collect(sample_data.quarantine)
    assert len(q) == int(sample_data.quality["rows_quarantined"].sum())
    assert set(q.columns) >= {"table", "row", "column", "value", "reason"}


def test_missing_mandatory_column_names_closest(case, tmp_path):
    rows = [{"lead_id": "1", "created": "2026-07-01", "channel": "SEO"}]
    with pytest.raises(DataError) as err:
        case(leads=rows)
    msg = str(err.value)
    assert "created_at" in msg and "created" in msg and "mapping" in msg


def test_explicit_mapping_is_used(tmp_path):
    import yaml

    from leadroi.intake.dataset import load_data
    from leadroi.params import load_params

    pd.DataFrame([{"ID": "1", "Created": "2026-07-01", "Source": "SEO"}]).to_csv(
        tmp_path / "l.csv", index=False)
    doc = {"period": "2026-Q3", "data": {"leads": {"path": "l.csv", "mapping": {
        "lead_id": "ID", "created_at": "Created", "channel": "Source"}}}}
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(doc))
    data = load_data(load_params(tmp_path / "p.yaml"))
    assert data.quality["rows_used"].tolist() == [1]


def test_whole_table_quarantined_is_fatal(case):
    rows = [{"lead_id": "", "created_at": "2026-07-01", "channel": "SEO"}] * 3
    with pytest.raises(DataError, match="all 3 rows were quarantined") as err:
        case(leads=rows)
    assert "lead_id missing or unreadable: 3" in str(err.value)


def test_column_of_the_wrong_type_is_one_clear_error(case):
    rows = [lead(str(i), "SEO", created=f"Zhang {i}") for i in range(1, 8)]
    with pytest.raises(DataError) as err:
        case(leads=rows)
    msg = str(err.value)
    assert "leads.csv" in msg and "column 'created_at'" in msg and "rows 1, 2, 3" in msg
    assert "7 values" in msg and "a date" in msg and "'Zhang 1'" in msg and "mapping" in msg


def test_missing_and_empty_files(tmp_path, case):
    from leadroi.intake.dataset import load_data
    from leadroi.params import params_from_dict

    params = params_from_dict({"period": "2026-Q3", "data": {"leads": {"path": "nope.csv"}}},
                              base_dir=tmp_path)
    with pytest.raises(DataError, match="file not found") as err:
        load_data(params)
    assert "nope.csv" in str(err.value) and err.value.exit_code == 2
    (tmp_path / "empty.csv").write_text("")
    params = params_from_dict({"period": "2026-Q3", "data": {"leads": {"path": "empty.csv"}}},
                              base_dir=tmp_path)
    with pytest.raises(DataError, match="empty"):
        load_data(params)


def test_undecodable_csv_is_a_clear_error(tmp_path):
    from leadroi.intake.dataset import load_data
    from leadroi.params import params_from_dict

    text = b"lead_id,created_at,channel\n" + b"1,2026-07-01,\xff\xff\xff\n" * 3
    (tmp_path / "bad.csv").write_bytes(text)
    params = params_from_dict({"period": "2026-Q3", "data": {"leads": {"path": "bad.csv"}}},
                              base_dir=tmp_path)
    with pytest.raises(DataError, match="neither UTF-8 nor GBK") as err:
        load_data(params)
    assert "line 2" in str(err.value) and "encoding:" in str(err.value)


def test_spend_by_period_and_orphan_touchpoints(case):
    params, data = case(
        leads=[lead("1", "SEO"), lead("2", "Webinar")],
        spend=[{"period": "2026-Q3", "channel": "seo", "amount": "1,000"},
               {"period": "2026-08", "channel": "Webinar", "amount": "¥2万",
                "cost_type": "Sales"}],
        touchpoints=[{"lead_id": "1", "touched_at": "2026-07-01", "channel": "SEO"},
                     {"lead_id": "9", "touched_at": "2026-07-01", "channel": "SEO"}])
    from leadroi.engine import collect

    spend = collect(data.spend).sort_values("amount")
    assert spend["amount"].tolist() == [1000.0, 20000.0]
    assert spend["channel"].tolist() == ["SEO", "Webinar"]
    assert spend["cost_type"].tolist() == ["marketing", "sales"]
    assert str(spend["date"].iloc[1].date()) == "2026-08-01"
    touch = data.quality.set_index("table").loc["touchpoints"]
    assert (touch["rows_used"], touch["rows_quarantined"]) == (1, 1)


def test_channel_aliases_from_params_fold_across_tables(tmp_path):
    import yaml
    from conftest import write_case

    from leadroi.engine import collect
    from leadroi.intake.dataset import load_data
    from leadroi.params import load_params

    leads = [lead("1", "google"), lead("2", "Google Ads"), lead("3", " AdWords "),
             lead("4", "谷歌"), lead("5", "baidu"), lead("6", "Baidu")]
    path = write_case(tmp_path, leads=leads,
                      spend=[{"date": "2026-07-01", "channel": "adwords", "amount": "100"}])
    doc = yaml.safe_load(path.read_text())
    doc["data"]["channel_aliases"] = {"Google Ads": ["google", "ADWORDS", "谷歌"]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    data = load_data(load_params(path))
    got = collect(data.leads).set_index("lead_id")["channel"].to_dict()
    assert got == {"1": "Google Ads", "2": "Google Ads", "3": "Google Ads", "4": "Google Ads",
                   "5": "Baidu", "6": "Baidu"}
    assert collect(data.spend)["channel"].tolist() == ["Google Ads"]
    fixes = data.fixes.set_index(["table", "code", "column"])["rows"]
    assert fixes[("leads", "channel_folded", "channel")] == 4
