"""The notebooks driven by the tools themselves, as the README's "Plain papermill and
nbconvert" says: papermill with ``-f`` from the repo folder and ``-p params_file`` from
another folder give the outputs ``leadroi run`` gives; nbconvert's ``--to leadroi`` gives
its HTML byte for byte; WeasyPrint's own command prints it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

NOTEBOOK = "notebooks/quarterly_report.ipynb"


def _tool(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def leadroi_run(repo, sample_en, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("leadroi-run")
    res = _tool("leadroi.cli", "run", repo / "params" / "sample-2026-Q3.yaml", "--out", out,
                cwd=repo)
    assert res.returncode == 0, res.stderr
    return out / "sample-2026-Q3"


def _html_outputs(path: Path) -> list[list[str]]:
    """Per code cell of the report (papermill's injected cell left out): its HTML and
    text outputs, the numbers and sentences of the report."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"
             and "injected-parameters" not in c.metadata.get("tags", [])]
    return [[o.get("data", {}).get("text/html", o.get("text", "")) for o in c.outputs]
            for c in cells]


def test_papermill_with_the_params_file_keys_renders_the_same_report(repo, leadroi_run,
                                                                      tmp_path):
    out = tmp_path / "out.ipynb"
    res = _tool("papermill", NOTEBOOK, out, "-f", "params/sample-2026-Q3.yaml", cwd=repo)
    assert res.returncode == 0, res.stderr
    expected = _html_outputs(leadroi_run / "sample-2026-Q3.ipynb")
    assert any("ROI" in "".join(cell) for cell in expected)
    assert _html_outputs(out) == expected


def test_papermill_with_a_params_file_from_another_folder(repo, leadroi_run, tmp_path):
    params = os.path.relpath(repo / "params" / "sample-2026-Q3.yaml", tmp_path)
    res = _tool("papermill", repo / NOTEBOOK, "out.ipynb", "-p", "params_file", params,
                "-p", "workbook_path", "out.xlsx", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert _html_outputs(tmp_path / "out.ipynb") == _html_outputs(
        leadroi_run / "sample-2026-Q3.ipynb")
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames == load_workbook(
        leadroi_run / "sample-2026-Q3.xlsx", read_only=True).sheetnames


def test_the_campaign_notebook_takes_papermill_keys_too(repo, sample_en, tmp_path):
    res = _tool("papermill", "notebooks/campaign_retrospective.ipynb", tmp_path / "c.ipynb",
                "-f", "params/sample-campaign.yaml", cwd=repo)
    assert res.returncode == 0, res.stderr


def test_help_notebook_lists_each_parameter_with_a_line(repo):
    res = _tool("papermill", NOTEBOOK, "--help-notebook", cwd=repo)
    assert res.returncode == 0, res.stderr
    assert "params_file: str" in res.stdout and "workbook_path: str" in res.stdout
    assert "params YAML" in res.stdout and "Excel workbook" in res.stdout


def test_nbconvert_gives_leadroi_runs_html_and_weasyprint_prints_it(leadroi_run, tmp_path):
    from pypdf import PdfReader

    res = _tool("nbconvert", "--to", "leadroi", leadroi_run / "sample-2026-Q3.ipynb",
                "--output-dir", tmp_path, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = tmp_path / "sample-2026-Q3.html"
    assert html.read_bytes() == (leadroi_run / "sample-2026-Q3.html").read_bytes()
    res = _tool("weasyprint", html, tmp_path / "out.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert len(PdfReader(tmp_path / "out.pdf").pages) == len(
        PdfReader(leadroi_run / "sample-2026-Q3.pdf").pages)
