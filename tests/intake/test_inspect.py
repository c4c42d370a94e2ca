"""``leadroi inspect FILE``: columns found and a mapping that, pasted into params, loads."""

from __future__ import annotations

import sqlite3

import pytest
import yaml
import zh_template

from leadroi.cli import main
from leadroi.intake.dataset import load_data
from leadroi.intake.inspection import inspect_source, to_yaml
from leadroi.params import TableSource, load_params


def _paste_and_load(folder, snippet: str, period: str = "2023-Q4"):
    doc = {"period": period, "data": yaml.safe_load(snippet)}
    (folder / "p.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load_data(load_params(folder / "p.yaml"))


def test_gbk_zh_template(tmp_path, capsys, monkeypatch):
    zh_template.write_csv(tmp_path / "线索.csv", zh_template.rows(20), "messy", "gbk")
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "线索.csv"]) == 0
    out = capsys.readouterr().out
    assert "20 rows, 20 columns, encoding gb18030; looks like a leads table." in out
    assert "# The preset 'zh-template' maps the same columns" in out
    assert "转化时长(天)" in out.split("Not mapped")[1].splitlines()[0]
    entry = yaml.safe_load(out)["leads"]
    assert entry["path"] == "线索.csv" and entry["encoding"] == "gb18030"
    assert entry["mapping"]["lead_id"] == "线索编号"
    assert entry["mapping"]["amount"] == "成交金额(元)"
    data = _paste_and_load(tmp_path, out)
    assert data.quality.iloc[0]["rows_used"] == 20


def test_hubspot_deals_export(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Contact IDs\n"
                    "11,Big one,Closed Won,\"$1,500\",2026-07-01,101\n")
    ins = inspect_source(TableSource(path=path))
    assert ins.table == "deals" and ins.preset == "hubspot" and ins.missing == []
    assert ins.mapping["lead_id"] == "Associated Contact IDs"
    assert ins.columns[3].example == "$1,500" and ins.rows == 1


def test_unmatched_mandatory_column_is_flagged(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("Ref,When,Where\n1,2026-07-01,SEO\n")
    text = to_yaml(inspect_source(TableSource(path=path), table="leads"))
    for column in ("lead_id", "created_at", "channel"):
        assert f"Mandatory column not matched: {column}" in text


def test_xlsx_sheet_and_database(tmp_path, capsys):
    zh_template.write_xlsx(tmp_path / "t.xlsx", zh_template.rows(5))
    assert main(["inspect", str(tmp_path / "t.xlsx"), "--sheet", "2"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["leads"]["sheet"] == 2
    con = sqlite3.connect(tmp_path / "crm.db")
    con.execute("CREATE TABLE spend_daily (day TEXT, source TEXT, cost REAL)")
    con.execute("INSERT INTO spend_daily VALUES ('2026-07-01', 'SEO', 12.5)")
    con.commit()
    con.close()
    assert main(["inspect", f"sqlite:///{tmp_path}/crm.db", "--table", "spend_daily"]) == 0
    entry = yaml.safe_load(capsys.readouterr().out)["spend"]
    assert entry["table"] == "spend_daily" and entry["mapping"] == {
        "date": "day", "channel": "source", "amount": "cost"}


@pytest.mark.parametrize("args, fragment", [
    (["nope.csv"], "file not found"),
    (["x.csv", "--table", "t"], "apply to a database"),
])
def test_inspect_errors_exit_2(tmp_path, capsys, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    assert main(["inspect", *args]) == 2
    assert fragment in capsys.readouterr().err
