"""``leadroi attribute`` on both formats, as text and JSON, and its error messages."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import lead, write_case

from leadroi.cli import main

PATHS = "path;total_conversions;total_conversion_value;total_null\nA > B;2;200;0\nB;0;0;1\n"


@pytest.fixture
def path_file(tmp_path):
    f = tmp_path / "paths.csv"
    f.write_text(PATHS, encoding="utf-8")
    return f


def test_paths_json(path_file, capsys):
    assert main(["attribute", str(path_file), "--sep", ";", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["first_touch", "last_touch", "linear", "time_decay", "u_shaped",
                         "w_shaped", "full_path", "markov", "shapley"]
    assert out["markov"]["A"] == pytest.approx({"conversions": 0.8, "value": 80.0})
    assert out["first_touch"]["B"] == {"conversions": 0.0, "value": 0.0}
    for model in out.values():
        assert sum(c["conversions"] for c in model.values()) == pytest.approx(2)
        assert sum(c["value"] for c in model.values()) == pytest.approx(200)


def test_paths_text_with_chosen_models_and_detected_format(path_file, capsys):
    assert main(["attribute", str(path_file), "--models", "linear,markov"]) == 0
    out = capsys.readouterr().out
    assert "1 paths" not in out and "2 paths, 3 journeys, 2.00 conversions" in out
    table = out.split("Conversions credited by each model:")[1].split("Value credited")[0]
    assert table.split()[:3] == ["channel", "linear", "markov"]
    assert "total" in table and "shapley" not in out


def test_paths_custom_columns_without_value(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text("journey,conv\nX|Y,1\n", encoding="utf-8")
    assert main(["attribute", str(f), "--format", "paths", "--path-col", "journey",
                 "--conversions-col", "conv", "--path-sep", "|", "--json",
                 "--models", "last_touch"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"last_touch": {"X": {"conversions": 0.0, "value": None},
                                  "Y": {"conversions": 1.0, "value": None}}}


@pytest.fixture
def touch_case(tmp_path):
    leads = [lead("L1", "SEO", "2026-07-10 10:00", won="2026-08-20 12:00", amount=1000),
             lead("L2", "Ads", "2026-07-15 09:00")]
    touches = [{"lead_id": "L1", "touched_at": "2026-07-10 10:00", "channel": "SEO"},
               {"lead_id": "L1", "touched_at": "2026-08-01 10:00", "channel": "Ads"},
               {"lead_id": "L2", "touched_at": "2026-09-01 10:00", "channel": "Ads"}]
    write_case(tmp_path, leads=leads, touchpoints=touches)
    return tmp_path


def test_touchpoints_with_leads(touch_case, capsys):
    assert main(["attribute", str(touch_case / "touchpoints.csv"), "--leads",
                 str(touch_case / "leads.csv"), "--json", "--models",
                 "first_touch,last_touch"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["first_touch"]["SEO"] == {"conversions": 1.0, "value": 1000.0}
    assert out["last_touch"]["Ads"] == {"conversions": 1.0, "value": 1000.0}


def test_touchpoints_period_and_lookback(touch_case, capsys):
    assert main(["attribute", str(touch_case / "touchpoints.csv"), "--leads",
                 str(touch_case / "leads.csv"), "--format", "touchpoints", "--period",
                 "2026-Q3", "--lookback-days", "20", "--models", "first_touch",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # the July touch is > 20 days before the win
    assert out["first_touch"]["Ads"]["conversions"] == 1.0


def _leadroi(capsys, *args) -> tuple[int, str]:
    """Run the CLI in-process: exit code and stderr."""
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def test_touchpoints_without_leads_exit_2_saying_what_to_add(touch_case, capsys):
    code, err = _leadroi(capsys, "attribute", touch_case / "touchpoints.csv")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "--leads" in lines[0]
    assert "Traceback" not in err


def test_unknown_model_exit_2_with_suggestion(path_file, capsys):
    code, err = _leadroi(capsys, "attribute", path_file, "--models", "linear,shapely")
    assert code == 2 and "'shapely'" in err and "'shapley'" in err


def test_missing_column_and_file_exit_2(tmp_path, path_file, capsys):
    code, err = _leadroi(capsys, "attribute", path_file, "--format", "paths",
                         "--path-col", "route")
    assert code == 2 and "'route'" in err
    code, err = _leadroi(capsys, "attribute", tmp_path / "nope.csv")
    assert code == 2 and "not found" in err


def test_models_list(capsys):
    assert main(["attribute", "--models", "list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names[:3] == ["first_touch", "last_touch", "linear"] and "shapley" in names


def test_paths_file_from_pandas_round_trip(tmp_path, capsys):
    f = tmp_path / "p.parquet"
    pd.DataFrame({"path": ["A > B", "B"], "total_conversions": [2, 0],
                  "total_conversion_value": [200.0, 0.0], "total_null": [0, 1]}).to_parquet(f)
    assert main(["attribute", str(f), "--json", "--models", "shapley"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["shapley"]["B"]["conversions"] == pytest.approx(4 / 3)
