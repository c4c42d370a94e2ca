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
