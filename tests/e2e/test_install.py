"""Installed like any package, scheduled as the README shows.

A copy of the repository (what a checkout holds) gets a fresh virtual environment; the
README's GitHub Actions job runs there step by step (``pip install .``: not editable),
then the README's cron line, the Airflow task's command and plain papermill run from a
folder outside the repository with that installed leadroi. The apt step is not run
(these machines have the packages); its packages are checked against
``scripts/system-deps.sh``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

_CACHES = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache",
                                 ".hypothesis", ".ipynb_checkpoints")
#: not in a fresh checkout: generated or local (top level only)
_LOCAL = {".git", ".venv", "data", "reports", "dist", "build", "bench", ".leadroi-cache"}


REPO = Path(__file__).resolve().parents[2]


def _skip(folder: str, names: list[str]) -> set[str]:
    top = _LOCAL & set(names) if Path(folder) == REPO else set()
    return top | _CACHES(folder, names)


def _block(readme: str, lang: str, needle: str) -> str:
    """The README's fenced ``lang`` block containing ``needle``."""
    blocks = re.findall(rf"^```{lang}\n(.*?)^```", readme, re.S | re.M)
    (found,) = [b for b in blocks if needle in b]
    return found


@pytest.fixture(scope="module")
def readme(repo) -> str:
    return (repo / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def installed(repo, tmp_path_factory):
    """(checkout copy, environment whose PATH starts at a fresh venv's bin)."""
    root = tmp_path_factory.mktemp("install")
    checkout = root / "checkout"
    shutil.copytree(REPO, checkout, ignore=_skip)
    (checkout / "reports").mkdir()
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "LEADROI_NOTEBOOKS")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return checkout, env, venv


def _sh(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    res = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                         text=True)
    assert res.returncode == 0, f"{command}\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}"
    return res


def _ok(record_text: str) -> dict:
    run = json.loads(record_text.strip().splitlines()[-1])
    assert run["exit_code"] == 0
    (report,) = run["reports"]
    assert report["status"] == "ok"
    assert all(Path(p).is_file() for p in report["outputs"].values())
    totals = report["rows_total"]
    assert totals["in"] == totals["used"] + totals["quarantined"] > 0
    return report


@pytest.fixture(scope="module")
def github_job(readme, installed):
    """The README's GitHub Actions job, step by step, in the checkout copy."""
    checkout, env, venv = installed
    job = yaml.safe_load(_block(readme, "yaml", "runs-on:"))["jobs"]["report"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs[0].startswith("sudo apt-get")
    for command in runs[1:]:
        _sh(command, checkout, env)
    return runs


def test_the_github_job_installs_the_wheel_and_renders_the_sample(github_job, installed):
    checkout, env, venv = installed
    assert "pip install ." in github_job
    where = _sh("python -c 'import leadroi; print(leadroi.__file__)'", Path("/"), env).stdout
    assert Path(where.strip()).is_relative_to(venv)  # installed, not the checkout
    shipped = _sh("python -c 'import leadroi.shipped as s; print(s.notebooks_dir())'",
                  Path("/"), env).stdout.strip()
    assert Path(shipped).is_relative_to(venv)
    report = _ok((checkout / "run.json").read_text(encoding="utf-8"))
    assert report["outputs"]["pdf"].startswith(str(checkout / "reports"))


def test_the_apt_step_names_the_packages_system_deps_installs(readme, repo, github_job):
    listed = set(re.findall(r"missing\+=\(([\w.+-]+)\)",
                            (repo / "scripts" / "system-deps.sh").read_text()))
    packages = github_job[0].split("install -y", 1)[1].split()
    assert set(packages) <= listed
    section = readme[readme.index("### As a package"):readme.index("### Plain papermill")]
    assert all(p in section for p in packages)


@pytest.fixture(scope="module")
def elsewhere(installed, github_job, tmp_path_factory):
    """A folder outside the repository, laid out as the cron example's /srv/leadroi."""
    checkout, env, venv = installed
    folder = tmp_path_factory.mktemp("srv") / "leadroi"
    folder.mkdir()
    (folder / ".venv").symlink_to(venv)
    _sh("leadroi sample data/sample --params params --leads 3000", folder, env)
    return folder


def test_the_cron_line_renders_from_a_folder_outside_the_repository(readme, installed,
                                                                     elsewhere):
    checkout, env, venv = installed
    line = _block(readme, "cron", "leadroi run").strip()
    command = line.split(None, 5)[5].replace("/srv/leadroi", str(elsewhere))
    res = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr + (elsewhere / "reports" / "leadroi.log").read_text()
    report = _ok((elsewhere / "reports" / "last-run.json").read_text(encoding="utf-8"))
    assert report["outputs"]["html"] == str(elsewhere / "reports" / "sample-2026-Q3" /
                                            "sample-2026-Q3.html")
    assert json.loads((elsewhere / "reports" / "sample-2026-Q3" / "run.json").read_text())[
        "rows"] == report["rows"]


def test_the_airflow_task_command_prints_its_json_line(readme, installed, elsewhere):
    checkout, env, venv = installed
    tree = ast.parse(_block(readme, "python", "BashOperator("))
    (call,) = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
               and getattr(n.func, "id", "") == "BashOperator"]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    assert kwargs["cwd"] == "/srv/leadroi"
    res = _sh(kwargs["bash_command"], elsewhere, env)
    _ok(res.stdout)  # the last line, which BashOperator pushes to XCom


def test_plain_papermill_runs_the_installed_notebooks_copied_out(installed, elsewhere):
    checkout, env, venv = installed
    _sh("leadroi notebooks notebooks", elsewhere, env)
    _sh("papermill notebooks/quarterly_report.ipynb out.ipynb -f params/sample-2026-Q3.yaml"
        " && jupyter nbconvert --to leadroi out.ipynb", elsewhere, env)
    html = (elsewhere / "out.html").read_text(encoding="utf-8")
    assert "<title>Lead ROI report · 2026-Q3</title>" in html and 'class="toc-list"' in html
