"""Determinism and audit: every input fingerprinted, the same inputs give the same
numbers, and a whole report runs with networking made impossible.

Networking is cut two ways: a ``sitecustomize`` audit hook (``sys.addaudithook``) in the
CLI process *and* the notebook kernel (it inherits ``PYTHONPATH``) that raises on any
``socket.getaddrinfo``, on connecting an internet socket or binding one beyond loopback,
and logs the attempt;
and, where the machine allows it, ``unshare -rn`` (a network namespace with no
interfaces). Kernel messaging still works because it runs over Unix sockets (ipc).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from security_cases import hostile_case

pytestmark = pytest.mark.slow

SITECUSTOMIZE = '''
import os, socket, sys

_LOG = os.environ["LEADROI_NET_LOG"]
with open(_LOG, "a") as fh:
    fh.write(f"hook {os.getpid()} {' '.join(sys.argv)[:80]}\\n")

def _refuse(event, args):
    internet = getattr(args[0], "family", None) in (socket.AF_INET, socket.AF_INET6) \
        if event in ("socket.connect", "socket.bind") else False
    if event == "socket.bind" and internet and args[1][0] in ("127.0.0.1", "::1"):
        return  # urllib3 probes IPv6 support by binding ::1 port 0 on import: no traffic
    if event == "socket.getaddrinfo" or internet:
        with open(_LOG, "a") as fh:
            fh.write(f"BLOCKED {event} {args[1:]!r}\\n")
        raise OSError(f"network disabled by test: {event}")

sys.addaudithook(_refuse)
'''


def _workbook_values(path: Path) -> dict:
    wb = load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


def _run(params: Path, out: Path, env: dict | None = None, prefix=()) -> None:
    res = subprocess.run([*prefix, sys.executable, "-m", "leadroi.cli", "run", str(params),
                          "--out", str(out)], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("audit")
    params = hostile_case(tmp / "case")
    _run(params, tmp / "first")
    hook = tmp / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp / "net.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(hook), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "LEADROI_NET_LOG": str(log)}
    _run(params, tmp / "offline", env=env)
    return params, tmp / "first" / "hostile", tmp / "offline" / "hostile", log


def test_report_completes_without_network_in_cli_and_kernel(runs):
    _, _, offline, log = runs
    lines = log.read_text().splitlines()
    hooks = [line for line in lines if line.startswith("hook ")]
    assert len({line.split()[1] for line in hooks}) >= 2, lines  # CLI and kernel
    assert any(" -f " in line and ".json" in line for line in hooks), lines  # the kernel
    assert not [line for line in lines if line.startswith("BLOCKED")], lines
    assert (offline / "hostile.pdf").is_file()


def test_audit_hook_does_block(tmp_path):
    """The hook used above really stops a connection (so its silence means something)."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {**os.environ, "PYTHONPATH": str(tmp_path),
           "LEADROI_NET_LOG": str(tmp_path / "log")}
    res = subprocess.run([sys.executable, "-c", "import socket; "
                          "socket.create_connection(('127.0.0.1', 9), timeout=1)"],
                         capture_output=True, text=True, env=env)
    assert res.returncode != 0 and "network disabled by test" in res.stderr
    assert "BLOCKED" in (tmp_path / "log").read_text()


def test_report_completes_in_a_network_namespace(runs, tmp_path):
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -rn is not permitted here (the audit-hook test still runs)")
    params = runs[0]
    _run(params, tmp_path / "ns", prefix=("unshare", "-rn"))
    assert (tmp_path / "ns" / "hostile" / "hostile.pdf").is_file()


def test_rerun_gives_the_same_numbers(runs):
    _, first, offline, _ = runs
    assert _workbook_values(first / "hostile.xlsx") == _workbook_values(
        offline / "hostile.xlsx")


def test_appendix_fingerprints_data_and_params_files(runs):
    params, first, _, _ = runs
    files = _workbook_values(first / "hostile.xlsx")["files"]
    header, rows = files[0], files[1:]
    by_table = {r[header.index("table")]: r for r in rows}
    for table, path in (("params", params), ("leads", params.parent / "leads.csv"),
                        ("spend", params.parent / "spend.csv")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert by_table[table][header.index("sha256")] == digest, table
    html = (first / "hostile.html").read_text(encoding="utf-8")
    assert hashlib.sha256(params.read_bytes()).hexdigest() in html
