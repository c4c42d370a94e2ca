"""The command line: exit codes and one-line messages."""

import subprocess
import sys

import yaml

from leadroi.cli import main


def _leadroi(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "leadroi.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_missing_data_file_exits_2_naming_it(tmp_path):
    p = tmp_path / "q.yaml"
    p.write_text(yaml.safe_dump({"period": "2026-Q3",
                                 "data": {"leads": {"path": "missing/leads.csv"}}}))
    res = _leadroi("run", p, "--out", tmp_path / "out")
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing/leads.csv" in lines[0] and "not found" in lines[0]
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_typo_key_exits_2_naming_key_and_closest(tmp_path):
    p = tmp_path / "q.yaml"
    p.write_text(yaml.safe_dump({"period": "2026-Q3", "langauge": "zh",
                                 "data": {"leads": {"path": "l.csv"}}}))
    res = _leadroi("run", p)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "'langauge'" in lines[0] and "'language'" in lines[0]


def test_debug_shows_traceback(tmp_path):
    res = _leadroi("--debug", "run", tmp_path / "nope.yaml")
    assert res.returncode == 2 and "Traceback" in res.stderr


def test_usage_errors_exit_2(capsys):
    try:
        main(["frobnicate"])
    except SystemExit as exc:
        assert exc.code == 2


def test_sample_is_deterministic(tmp_path):
    for folder, seed in (("a", 7), ("b", 7), ("c", 8)):
        assert main(["sample", str(tmp_path / folder), "--seed", str(seed),
                     "--leads", "1500"]) == 0
    for name in ("leads.csv", "spend.csv", "touchpoints.csv", "targets.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "leads.csv").read_bytes() != (tmp_path / "c" / "leads.csv"
                                                           ).read_bytes()


def test_sample_languages_share_numbers(tmp_path):
    import pandas as pd

    main(["sample", str(tmp_path / "en"), "--leads", "1500"])
    main(["sample", str(tmp_path / "zh"), "--leads", "1500", "--lang", "zh"])
    en = pd.read_csv(tmp_path / "en" / "leads.csv", dtype=str)
    zh = pd.read_csv(tmp_path / "zh" / "leads.csv", dtype=str)
    assert en["lead_id"].equals(zh["lead_id"]) and en["amount"].equals(zh["amount"])
    assert "行业展会" in set(zh["channel"].str.strip()) and "Trade shows" in set(en["channel"])
