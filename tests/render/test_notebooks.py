"""Where the report notebooks come from: the shipped ones, a copy (`leadroi notebooks`)
named in params (`notebook:`), and what a usable copy must have."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from leadroi.cli import main
from leadroi.errors import ParamsError
from leadroi.params import load_params
from leadroi.render.execute import notebook_for
from leadroi.shipped import NOTEBOOKS, notebooks_dir, sample_params_dir


def test_a_checkout_reads_the_repo_notebooks_and_params(repo):
    assert notebooks_dir() == repo / "notebooks"
    assert sample_params_dir() == repo / "params"
    assert notebook_for("quarterly") == repo / "notebooks" / "quarterly_report.ipynb"


def test_leadroi_notebooks_copies_them_and_refuses_to_overwrite(repo, tmp_path, capsys):
    assert main(["notebooks", str(tmp_path / "nb")]) == 0
    for name in NOTEBOOKS.values():
        assert (tmp_path / "nb" / name).read_bytes() == (repo / "notebooks" / name).read_bytes()
    assert "notebook:" in capsys.readouterr().out
    assert main(["notebooks", str(tmp_path / "nb")]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["notebooks", str(tmp_path / "nb"), "--force"]) == 0


def _params(tmp_path: Path, notebook: str) -> Path:
    (tmp_path / "leads.csv").write_text("lead_id\n1\n", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(f"period: 2026-Q3\nnotebook: {notebook}\n"
                    "data:\n  leads: {path: leads.csv}\n", encoding="utf-8")
    return path


def test_notebook_key_is_resolved_against_the_params_folder(repo, tmp_path):
    main(["notebooks", str(tmp_path / "nb")])
    params = load_params(_params(tmp_path, "nb/quarterly_report.ipynb"))
    assert params.notebook == (tmp_path / "nb" / "quarterly_report.ipynb").resolve()
    assert notebook_for(params.report, params.notebook) == params.notebook
    assert params.public_dict()["notebook"] == "nb/quarterly_report.ipynb"


def test_notebook_key_must_name_an_ipynb(tmp_path):
    with pytest.raises(ParamsError, match="not a notebook"):
        load_params(_params(tmp_path, "report.py"))


def _nb(tmp_path: Path, source: str | None, *, text: str | None = None) -> Path:
    path = tmp_path / "custom.ipynb"
    if text is not None:
        path.write_text(text, encoding="utf-8")
        return path
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source or "x = 1")
    if source is not None:
        cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(("source", "text", "message"), [
    (None, None, "no cell is tagged `parameters`"),
    ('params_file = ""', None, "does not set workbook_path"),
    (None, "{not json", "not a Jupyter notebook"),
])
def test_an_unusable_copy_is_one_params_error(tmp_path, source, text, message):
    with pytest.raises(ParamsError, match=message) as err:
        notebook_for("quarterly", _nb(tmp_path, source, text=text))
    assert err.value.exit_code == 2 and "leadroi notebooks DIR" in str(err.value)


def test_a_missing_copy_is_caught_before_any_kernel_starts(tmp_path, capsys):
    params = _params(tmp_path, "gone.ipynb")
    assert main(["run", str(params), "--out", str(tmp_path / "out"), "--json"]) == 2
    record = json.loads(capsys.readouterr().out)["reports"][0]
    assert record["status"] == "failed" and record["exit_code"] == 2
    assert "notebook file not found" in record["message"]
    assert record["report_id"] == "p" and record["outputs"] == {}
