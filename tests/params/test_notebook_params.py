"""notebook_params: the params of a report notebook however papermill was called.

``-f FILE`` is simulated the way papermill does it: the file read with papermill's own
YAML loader (dates kept as text) and its keys put into the notebook's namespace.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from papermill.iorw import read_yaml_file

from leadroi.errors import ParamsError
from leadroi.params import load_params, notebook_params

PARAMS = """report: quarterly
period: 2026-Q3
as_of: 2026-10-31
language: {lang}
data:
  leads: {{path: ../data/leads.csv}}
"""


@contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path) -> Path:
    """``project/params/{q3,q3-zh}.yaml`` naming ``project/data/leads.csv``."""
    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "leads.csv").write_text("lead_id\n1\n", encoding="utf-8")
    (tmp_path / "params" / "q3.yaml").write_text(PARAMS.format(lang="en"), encoding="utf-8")
    (tmp_path / "params" / "q3-zh.yaml").write_text(PARAMS.format(lang="zh"),
                                                    encoding="utf-8")
    return tmp_path


def _injected(path: Path, **overrides) -> dict:
    """A notebook namespace after ``papermill -f path [-p k v ...]``."""
    return {"params_file": "../params/sample-2026-Q3.yaml", "workbook_path": "",
            **read_yaml_file(str(path)), **overrides}


def test_params_file_alone_is_loaded_like_leadroi_run(project):
    with _cwd(project):
        params = notebook_params("params/q3.yaml", {"params_file": "params/q3.yaml"})
    expected = load_params(project / "params" / "q3.yaml")
    assert params.public_dict() == expected.public_dict()
    assert params.report_id == expected.report_id == "q3"


@pytest.mark.parametrize("where", [".", "params"])
def test_f_keys_are_traced_to_their_file_from_the_project_or_params_folder(project, where):
    with _cwd(project / where):
        params = notebook_params("unused.yaml", _injected(project / "params" / "q3-zh.yaml"))
    expected = load_params(project / "params" / "q3-zh.yaml")
    assert params == expected
    assert params.report_id == "q3-zh"
    assert params.data.leads.path == (project / "data" / "leads.csv").resolve()


def test_p_override_on_top_of_f_keeps_the_file_folder_when_data_is_unique(project):
    (project / "params" / "q3-zh.yaml").unlink()
    with _cwd(project):
        params = notebook_params("x", _injected(project / "params" / "q3.yaml",
                                                period="2026-Q2"))
    assert params.period == "2026-Q2"
    assert params.data.leads.path == (project / "data" / "leads.csv").resolve()
    assert params.source_file == (project / "params" / "q3.yaml").resolve()


def test_overridden_keys_matching_several_files_of_one_folder_use_that_folder(project):
    with _cwd(project):
        params = notebook_params("x", _injected(project / "params" / "q3.yaml",
                                                language="zh", period="2026-Q2"))
    assert params.source_file is None and params.report_id == "report-2026-Q2"
    assert params.data.leads.path == (project / "data" / "leads.csv").resolve()


def test_same_data_in_two_folders_is_ambiguous(project):
    """Overridden keys (no exact match) whose ``data:`` appears in ``./`` and ``params/``:
    the relative paths could start at either folder, so say so instead of guessing."""
    (project / "q.yaml").write_text(PARAMS.format(lang="en"), encoding="utf-8")
    with _cwd(project), pytest.raises(ParamsError, match="several folders") as err:
        notebook_params("x", _injected(project / "q.yaml", period="2026-Q4"))
    assert "-p params_file" in str(err.value)


def test_no_file_found_means_paths_start_at_the_working_folder(tmp_path):
    (tmp_path / "leads.csv").write_text("lead_id\n1\n", encoding="utf-8")
    with _cwd(tmp_path):
        params = notebook_params("x", {"period": "2026-Q3",
                                       "data": {"leads": {"path": "leads.csv"}}})
    assert params.data.leads.path == (tmp_path / "leads.csv").resolve()


def test_keys_without_data_are_one_clear_error(project):
    with _cwd(project), pytest.raises(ParamsError, match="no `data:`") as err:
        notebook_params("x", {"period": "2026-Q3"})
    assert err.value.exit_code == 2


def test_notebook_objects_named_like_params_keys_are_not_taken_for_them(project):
    """Re-running the cell in JupyterLab: ``data`` is then a Dataset, ``attribution`` a
    module; only plain values count as injected keys."""
    import leadroi.attribution as attribution

    with _cwd(project):
        params = notebook_params("params/q3.yaml", {"data": object(),
                                                    "attribution": attribution})
    assert params.report_id == "q3"


def test_papermill_loader_keeps_dates_as_text_and_they_still_validate(project):
    keys = read_yaml_file(str(project / "params" / "q3.yaml"))
    assert keys["as_of"] == "2026-10-31"  # what papermill injects
    assert yaml.safe_load((project / "params" / "q3.yaml").read_text())["as_of"] != "2026-10-31"
    with _cwd(project):
        assert str(notebook_params("x", keys).as_of) == "2026-10-31"
