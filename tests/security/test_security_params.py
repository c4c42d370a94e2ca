"""Params as an attack surface: ids and paths, YAML tags, unknown keys, notebook
parameters. Nothing a params file says can make leadroi write outside
``<out>/<id>/`` or run code."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import papermill
import pytest
import yaml
from pydantic import BaseModel

import leadroi.params as params_module
from leadroi.errors import EXIT_BAD_INPUT, ParamsError
from leadroi.params import Params, load_params, params_from_dict
from leadroi.render.execute import PARAMETER_NAMES, notebook_parameters
from leadroi.render.run import report_folder

ROOT = Path(__file__).resolve().parents[2]
BASE = {"period": "2026-Q3", "data": {"leads": {"path": "leads.csv"}}}

HOSTILE_IDS = ["../../x", "..", ".", "/etc/cron.d/x", "a/b", "a\\b", "..\\..\\x",
               "C:\\Windows\\x", "x" * 101, "a\x00b", "", " ", "-rf", "a b", "$(id)",
               "a\nb", "~/x", "x/.."]


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_hostile_ids_are_refused(bad):
    with pytest.raises(ParamsError) as info:
        params_from_dict({**BASE, "id": bad})
    assert info.value.key == "id" and info.value.exit_code == EXIT_BAD_INPUT


@pytest.mark.parametrize("stem", ["..", "a b;rm -rf ~", "报告 2026", "x" * 300, "...a..",
                                  "-", "a\\b"])
def test_default_id_from_a_hostile_file_name_is_slugged(stem):
    params = params_from_dict(BASE, source_file=Path("/tmp") / f"{stem}.yaml")
    rid = params.report_id
    assert rid and len(rid) <= 100 and ".." not in rid and "/" not in rid
    assert "\\" not in rid and not rid.startswith(("-", "."))
    assert report_folder("/tmp/out", rid).parent == Path("/tmp/out").resolve()


def test_report_folder_refuses_what_validation_would_have_caught(tmp_path):
    for bad in ("../x", "..", "/abs", "a/b", ""):
        with pytest.raises(ParamsError):
            report_folder(tmp_path, bad)
    assert report_folder(tmp_path, "ok-1.2_x") == tmp_path.resolve() / "ok-1.2_x"


def test_cli_refuses_traversal_id_with_exit_2_and_writes_nothing(tmp_path):
    (tmp_path / "leads.csv").write_text("lead_id,created_at,channel\n1,2026-07-01,SEO\n")
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({**BASE, "id": "../../escaped"}))
    out = tmp_path / "a" / "b" / "out"
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", str(params),
                          "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "'id'" in lines[0] and "../../escaped" in lines[0]
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "a").exists()


def test_yaml_python_tags_are_not_constructed(tmp_path):
    marker = tmp_path / "pwned"
    params = tmp_path / "p.yaml"
    params.write_text(f"period: 2026-Q3\ntitle: !!python/object/apply:os.system "
                      f"['touch {marker}']\ndata:\n  leads:\n    path: leads.csv\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(params)
    params.write_text("period: !!python/name:os.system\ndata: {leads: {path: x.csv}}\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(params)
    assert not marker.exists()


def test_nul_anywhere_in_params_is_a_params_error(tmp_path):
    for raw in ({**BASE, "title": "a\x00b"},
                {**BASE, "data": {"leads": {"path": "leads\x00.csv"}}},
                {**BASE, "data": {"leads": {"path": "x.csv", "mapping": {"lead_id": "i\x00"}}}}):
        with pytest.raises(ParamsError, match="NUL"):
            params_from_dict(raw)
    params = tmp_path / "p.yaml"
    params.write_text('period: 2026-Q3\ndata: {leads: {path: "a\\0b.csv"}}\n')
    with pytest.raises(ParamsError) as info:
        load_params(params)
    assert info.value.key == "data.leads.path"


def _strict_models() -> list[type[BaseModel]]:
    return [obj for _, obj in inspect.getmembers(params_module, inspect.isclass)
            if issubclass(obj, BaseModel) and obj.__module__.startswith("leadroi.params.")
            and obj.__name__ != "Strict"]


def test_every_params_model_forbids_unknown_keys():
    models = _strict_models()
    assert Params in models and len(models) >= 12
    for model in models:
        assert model.model_config.get("extra") == "forbid", model.__name__


#: One path per nested model: (where in the params, a typo of a real key there)
NESTED = [((), "peroid", "period"), (("data",), "leeds", "leads"),
          (("data", "leads"), "mappings", "mapping"),
          (("data", "deals"), "won_stage", "won_stages"),
          (("recommend",), "target_roii", "target_roi"),
          (("recommend", "owners"), "chanel", "channel"),
          (("funnel",), "stagess", "stages"), (("value",), "margn", "margin"),
          (("scoring",), "bandz", "bands"), (("scoring", "rules", 0), "pointz", "points"),
          (("executive",), "shwon", "shown"), (("attribution",), "seeds", "seed")]


@pytest.mark.parametrize("where,typo,meant", NESTED)
def test_unknown_key_at_every_level_is_named_with_a_suggestion(where, typo, meant):
    raw = yaml.safe_load(yaml.safe_dump({**BASE, "data": {
        "leads": {"path": "leads.csv"}, "deals": {"path": "deals.csv"}},
        "recommend": {"owners": {}}, "funnel": {}, "value": {}, "executive": {},
        "attribution": {}, "scoring": {"rules": [{"name": "r", "points": 1,
                                                  "column": "title", "equals": ["CEO"]}]}}))
    node = raw
    for part in where:
        node = node[part]
    node[typo] = 1
    with pytest.raises(ParamsError) as info:
        params_from_dict(raw)
    key = ".".join(str(p) for p in (*where, typo))
    assert info.value.key == key
    assert f"unknown key '{key}'" in str(info.value) and f"'{meant}'" in str(info.value)


def test_data_paths_are_read_as_given(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leads.csv").write_text("x")
    folder = tmp_path / "params"
    folder.mkdir()
    params = params_from_dict({**BASE, "data": {"leads": {"path": "../elsewhere/leads.csv"}}},
                              base_dir=folder)
    assert params.data.leads.path == (elsewhere / "leads.csv").resolve()


def test_only_the_fixed_parameters_reach_the_notebook():
    assert PARAMETER_NAMES == ("params_file", "workbook_path")
    with pytest.raises(ValueError):
        notebook_parameters(params_file="a", workbook_path="b", extra="c")
    with pytest.raises(ValueError):
        notebook_parameters(**{"params_file": "a", "workbook_path": "b",
                               "x=__import__('os').system('id')#": "1"})
    with pytest.raises(ValueError):
        notebook_parameters(params_file="a")
    with pytest.raises(ValueError):
        notebook_parameters(params_file="a\x00", workbook_path="b")
    with pytest.raises(ValueError):
        notebook_parameters(params_file=["a"], workbook_path="b")


@pytest.mark.parametrize("value", ['a"; import os; os.system("id"); x="',
                                   "a\\\"; import os #", "a'''\"\"\"\n__import__('os')",
                                   "报告/路径 with spaces", "\\", "C:\\x\\\"y"])
def test_parameter_values_are_passed_as_data(value, tmp_path):
    values = notebook_parameters(params_file=value, workbook_path=value + "x")
    out = papermill.execute_notebook(str(ROOT / "notebooks" / "quarterly_report.ipynb"),
                                     str(tmp_path / "out.ipynb"), parameters=values,
                                     prepare_only=True, kernel_name="python3")
    cell = next(c for c in out.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    assigned = {}
    for node in tree.body:  # nothing but plain assignments of literals
        assert isinstance(node, ast.Assign), ast.dump(node)
        assigned[node.targets[0].id] = ast.literal_eval(node.value)
    assert assigned == {"params_file": value, "workbook_path": value + "x"}
