from pathlib import Path

import pytest
import yaml

from leadroi.errors import ParamsError
from leadroi.params import load_params, params_from_dict

BASE = {"period": "2026-Q3", "data": {"leads": {"path": "leads.csv"}}}


def test_sample_params_load(repo):
    p = load_params(repo / "params" / "sample-2026-Q3.yaml")
    assert p.period == "2026-Q3" and p.language == "en" and p.report_id == "sample-2026-Q3"
    assert p.data.leads.path == (repo / "data" / "sample" / "leads.csv").resolve()
    assert p.public_dict()["data"]["leads"]["path"] == "../data/sample/leads.csv"
    zh = load_params(repo / "params" / "sample-2026-Q3-zh.yaml")
    assert zh.language == "zh" and zh.report_id == "sample-2026-Q3-zh"


def test_relative_paths_start_at_params_folder(tmp_path):
    f = tmp_path / "sub" / "q.yaml"
    f.parent.mkdir()
    f.write_text(yaml.safe_dump(BASE))
    assert load_params(f).data.leads.path == (f.parent / "leads.csv").resolve()
    absolute = {**BASE, "data": {"leads": {"path": str(tmp_path / "x.csv")}}}
    f.write_text(yaml.safe_dump(absolute))
    assert load_params(f).data.leads.path == tmp_path / "x.csv"


@pytest.mark.parametrize("doc, key, suggestion", [
    ({**BASE, "perod": "2026-Q3"}, "perod", "period"),
    ({**BASE, "langauge": "zh"}, "langauge", "language"),
    ({**BASE, "data": {"leads": {"path": "a.csv", "maping": "canonical"}}},
     "data.leads.maping", "mapping"),
    ({**BASE, "recommend": {"target_ro": 0.1}}, "recommend.target_ro", "target_roi"),
])
def test_typo_names_key_and_closest(doc, key, suggestion):
    with pytest.raises(ParamsError) as err:
        params_from_dict(doc)
    assert err.value.key == key
    assert f"'{key}'" in str(err.value) and f"'{suggestion}'" in str(err.value)


@pytest.mark.parametrize("doc, fragment", [
    ({"data": BASE["data"]}, "missing required key 'period'"),
    ({**BASE, "period": "2026-Q9"}, "period"),
    ({**BASE, "language": "fr"}, "language"),
    ({**BASE, "id": "../../etc"}, "not a valid report id"),
    ({**BASE, "currency": "yuan"}, "currency"),
    ({**BASE, "min_leads": 0}, "min_leads"),
])
def test_invalid_values(doc, fragment):
    with pytest.raises(ParamsError) as err:
        params_from_dict(doc)
    assert fragment in str(err.value)


def test_yaml_problems(tmp_path):
    f = tmp_path / "p.yaml"
    with pytest.raises(ParamsError, match="not found"):
        load_params(f)
    f.write_text("period: 2026-Q3\nperiod: 2026-Q2\ndata: {leads: {path: x}}\n")
    with pytest.raises(ParamsError, match="given twice"):
        load_params(f)
    f.write_text("- a list\n")
    with pytest.raises(ParamsError, match="mapping"):
        load_params(f)
    f.write_text("period: [unclosed\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(f)
    f.write_text("!!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ParamsError):
        load_params(f)


def test_report_id_defaults_to_stem(tmp_path):
    f = tmp_path / "My Campaign 2026.yaml"
    f.write_text(yaml.safe_dump(BASE))
    assert load_params(f).report_id == "My-Campaign-2026"
    assert Path(load_params(f).source_file) == f


@pytest.mark.parametrize("source, fragment", [
    ({"path": "a.csv", "url": "sqlite:///b.db"}, "either `path:`"),
    ({"url": "sqlite:///b.db"}, "`table:` or `query:`"),
    ({"url": "sqlite:///b.db", "table": "t", "query": "select 1"}, "`table:` or `query:`"),
    ({"path": "a.csv", "table": "t"}, "apply to a database"),
    ({"url": "sqlite:///b.db", "table": "t", "sheet": 1}, "apply to files"),
    ({"path": "a.csv", "encoding": "gbkk"}, "unknown encoding 'gbkk'"),
])
def test_source_combinations(source, fragment):
    with pytest.raises(ParamsError) as err:
        params_from_dict({"period": "2026-Q3", "data": {"leads": source}})
    assert fragment in str(err.value) and "data.leads" in str(err.value)


def test_urls_resolve_relative_files_and_hide_passwords(tmp_path):
    doc = {"period": "2026-Q3", "data": {
        "leads": {"url": "sqlite:///db/crm.db", "table": "leads"},
        "deals": {"url": "postgresql://me:s3cret@db.example:5432/crm", "query": "select 1"},
        "spend": {"url": "duckdb:////abs/x.duckdb", "table": "spend"}}}
    p = params_from_dict(doc, base_dir=tmp_path, source_file=tmp_path / "q.yaml")
    assert p.data.leads.url == f"sqlite:///{(tmp_path / 'db' / 'crm.db').resolve()}"
    assert p.data.spend.url == "duckdb:////abs/x.duckdb"
    assert p.data.deals.location == "postgresql://me:***@db.example:5432/crm"
    public = p.public_dict()["data"]
    assert public["deals"]["url"] == "postgresql://me:***@db.example:5432/crm"
    assert "s3cret" not in str(public)
    assert p.data.leads.encoding is None


def test_encoding_is_normalised_and_aliases_checked():
    p = params_from_dict({"period": "2026-Q3", "data": {
        "leads": {"path": "a.csv", "encoding": "GBK"},
        "channel_aliases": {"Google Ads": ["google", "AdWords"]}}})
    assert p.data.leads.encoding == "gbk"
    with pytest.raises(ParamsError, match="alias of both"):
        params_from_dict({"period": "2026-Q3", "data": {
            "leads": {"path": "a.csv"},
            "channel_aliases": {"Google": ["adwords"], "Bing": ["AdWords "]}}})


def test_deal_stage_keys_are_suggested():
    with pytest.raises(ParamsError, match="'won_stages'"):
        params_from_dict({"period": "2026-Q3", "data": {
            "leads": {"path": "a.csv"}, "deals": {"path": "d.csv", "won_stage": ["x"]}}})


@pytest.mark.parametrize("extra, fragment", [
    ({"segment": "ceo"}, "segment"),
    ({"funnel": {"stages": ["first_contact_at", "demo_at"]}}, "'demo_at' is not a stage"),
    ({"funnel": {"stages": ["won_at", "won_at"]}}, "without repeats"),
    ({"funnel": {"targets": {"demo": 0.5}}}, "'demo' is not a stage"),
    ({"funnel": {"targets": {"won": 1.5}}}, "between 0 and 1"),
    ({"value": {"margin": 0}}, "value.margin"),
    ({"stale_days": 0}, "stale_days"),
    ({"drilldowns": ["channel", "colour"]}, "'colour' cannot be drilled into"),
    ({"scoring": {"bands": [10, 0]}}, "ascending"),
    ({"scoring": {"rules": [{"name": "x", "points": 5, "column": "titel",
                             "contains": ["ceo"]}]}}, "did you mean 'title'"),
    ({"scoring": {"rules": [{"name": "x", "points": 5, "column": "title"}]}},
     "exactly one of"),
    ({"scoring": {"rules": [{"name": "x", "points": 5, "column": "title", "equals": ["a"]},
                            {"name": "x", "points": 1, "column": "notes",
                             "contains": ["b"]}]}}, "unique"),
])
def test_metric_settings_are_validated(extra, fragment):
    with pytest.raises(ParamsError) as err:
        params_from_dict({**BASE, **extra})
    assert fragment in str(err.value)


def test_metric_defaults_follow_the_seeds():
    p = params_from_dict(BASE)
    assert p.segment == "all" and p.stale_days == 30 and p.min_leads == 30
    assert p.funnel.stages == ("first_contact_at", "needs_confirmed_at", "proposal_at",
                               "negotiation_at", "won_at")
    assert [(r.name, r.points) for r in p.scoring.rules] == [
        ("company_500", 10), ("ceo_vp", 20), ("pricing_page", 15), ("white_paper", 10)]
    assert p.drilldowns == ("channel", "campaign", "strategy", "content", "industry",
                            "region", "owner", "seniority")
    assert p.value.margin is None and p.value.healthy_ltv_cac == 3
