"""environment.yml (conda-forge) lists the same dependencies as pyproject.toml."""

import re
import tomllib

import yaml

# conda-forge name -> PyPI requirement name (with extras)
CONDA_TO_PYPI = {"python-duckdb": "duckdb", "ibis-duckdb": "ibis-framework[duckdb]",
                 "pandera-ibis": "pandera[ibis]", "matplotlib-base": "matplotlib",
                 "nbconvert-core": "nbconvert"}
SYSTEM = {"python", "pango", "poppler", "pip"}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", req.strip())
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_matches_pyproject(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    pypi = [_split(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        pypi += [_split(r) for r in extra]
    env = yaml.safe_load((repo / "environment.yml").read_text())
    conda = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # `- pip: [...]`: packages conda-forge lacks, PyPI names
            conda += [_split(d) for d in dep.get("pip", [])]
            continue
        name, spec = _split(dep)
        if name in SYSTEM:
            continue
        conda.append((CONDA_TO_PYPI.get(name, name), spec))
    assert sorted(conda) == sorted(pypi)


def test_console_script_and_python(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["leadroi"] == "leadroi.cli:main"
    assert project["requires-python"] == ">=3.11"
    assert "dev" in project["optional-dependencies"]


def _wheel(repo, folder):
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "wheel", str(repo), "--no-deps", "-q",
                    "-w", str(folder)], check=True, capture_output=True)
    (wheel,) = folder.glob("leadroi-*.whl")
    return wheel


def test_the_wheel_ships_notebooks_sample_params_templates_and_the_exporter(repo, tmp_path):
    """One source: the wheel's notebooks and sample params are the repo's, byte for byte."""
    import zipfile

    with zipfile.ZipFile(_wheel(repo, tmp_path)) as whl:
        names = set(whl.namelist())
        for nb in (repo / "notebooks").glob("*.ipynb"):
            assert whl.read(f"leadroi/notebooks/{nb.name}") == nb.read_bytes()
        for params in (repo / "params").glob("sample-*.yaml"):
            assert whl.read(f"leadroi/sample/params/{params.name}") == params.read_bytes()
        for part in ("templates/nbconvert/leadroi/index.html.j2",
                     "templates/nbconvert/leadroi/conf.json",
                     "templates/fragments/cover.html.j2", "locales/zh/report.yaml"):
            assert f"leadroi/{part}" in names
        (entry_points,) = [n for n in names if n.endswith("entry_points.txt")]
        text = whl.read(entry_points).decode()
    assert "leadroi = leadroi.cli:main" in text
    assert "[nbconvert.exporters]\nleadroi = leadroi.render.html:ReportExporter" in text
