"""Failure behaviour of ``leadroi run``: a failing or slow cell, a killed run, a batch.

Each test runs the real command in a subprocess on the small hostile dataset, with a copy
of the report notebook that has one extra cell (``LEADROI_NOTEBOOKS``), so the production
notebook stays clean.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from security_cases import hostile_case, notebook_with_cell

from leadroi.errors import ReportError
from leadroi.render import execute, run

pytestmark = pytest.mark.slow

OUTPUTS = ("hostile.ipynb", "hostile.html", "hostile.pdf", "hostile.xlsx")


def _env(tmp_path: Path, notebooks: Path | None = None) -> dict:
    env = {**os.environ, "TMPDIR": str(_tmp(tmp_path))}
    if notebooks is not None:
        env["LEADROI_NOTEBOOKS"] = str(notebooks)
    return env


def _tmp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir(exist_ok=True)
    return folder


def _leadroi(*args, env=None, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "leadroi.cli", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, **kwargs)


def _previous_report(out: Path) -> dict[str, bytes]:
    """A 'previous good report' whose files must survive a failed or killed run."""
    folder = out / "hostile"
    folder.mkdir(parents=True)
    files = {}
    for name in OUTPUTS:
        (folder / name).write_bytes(f"previous {name}".encode())
        files[name] = f"previous {name}".encode()
    return files


def _assert_untouched(out: Path, files: dict[str, bytes]) -> None:
    folder = out / "hostile"
    for name, content in files.items():
        assert (folder / name).read_bytes() == content, name
    assert not [p for p in folder.iterdir() if p.name.startswith(run.STAGING_PREFIX)]


def _no_kernel_dirs(tmp_path: Path) -> None:
    left = [p.name for p in _tmp(tmp_path).iterdir()
            if p.name.startswith(execute.KERNEL_DIR_PREFIX)]
    assert not left, left


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def test_failing_cell_exits_1_keeps_failed_html_and_previous_report(tmp_path):
    params = hostile_case(tmp_path / "case")
    notebooks = notebook_with_cell(
        tmp_path / "nb", "raise RuntimeError('deliberate <script>failure</script>')")
    out = tmp_path / "out"
    previous = _previous_report(out)
    proc = _leadroi("run", params, "--out", out, env=_env(tmp_path, notebooks))
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 1, stderr
    message = stderr.strip()
    assert "\n" not in message  # one paragraph
    # the step, the cell and its first line, the error line, what to do
    assert "notebook stopped in cell 3 of quarterly_report.ipynb (raise RuntimeError(" in message
    assert "RuntimeError: deliberate <script>failure</script>" in message
    assert "FAILED.html" in message and "fix the data or params" in message
    _assert_untouched(out, previous)
    failed = (out / "hostile" / "FAILED.html").read_text(encoding="utf-8")
    assert 'name="generator"' in failed and 'content="leadroi ' in failed  # our template
    assert "deliberate &lt;script&gt;failure&lt;/script&gt;" in failed  # error visible
    parser = _Tags()
    parser.feed(failed)
    assert "script" not in parser.tags
    _no_kernel_dirs(tmp_path)


def _timeout_run(tmp_path: Path, *args, **params):
    case = hostile_case(tmp_path / "case", **params)
    notebooks = notebook_with_cell(tmp_path / "nb", "import time\ntime.sleep(120)", at=2)
    started = time.monotonic()
    proc = _leadroi("run", case, "--out", tmp_path / "out", *args,
                    env=_env(tmp_path, notebooks))
    _, stderr = proc.communicate(timeout=600)
    return proc.returncode, stderr.strip(), time.monotonic() - started


def test_cell_timeout_from_params(tmp_path):
    code, message, took = _timeout_run(tmp_path, cell_timeout_s=4)
    assert code == 1 and took < 90
    assert "\n" not in message  # nbclient's own log line is kept off stderr
    assert "stopped in cell 2 of quarterly_report.ipynb (import time)" in message
    assert "longer than the 4 s cell timeout" in message and "cell_timeout_s" in message
    assert (tmp_path / "out" / "hostile" / "FAILED.html").is_file()
    assert not (tmp_path / "out" / "hostile" / "hostile.pdf").exists()
    _no_kernel_dirs(tmp_path)


def test_cli_timeout_overrides_params(tmp_path):
    code, message, took = _timeout_run(tmp_path, "--timeout", "4", cell_timeout_s=3600)
    assert code == 1 and took < 90
    assert "longer than the 4 s cell timeout" in message


def _kernel_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "State:\tZ" in status.read_text())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_killed_run_leaves_previous_report_and_no_kernel(tmp_path, signum):
    params = hostile_case(tmp_path / "case")
    marker = tmp_path / "kernel.pid"
    notebooks = notebook_with_cell(
        tmp_path / "nb", f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))"
        "\ntime.sleep(300)")
    out = tmp_path / "out"
    previous = _previous_report(out)
    proc = _leadroi("run", params, "--out", out, env=_env(tmp_path, notebooks))
    deadline = time.monotonic() + 300
    while not (marker.is_file() and marker.read_text()):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    kernel = int(marker.read_text())
    assert _kernel_alive(kernel)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    _assert_untouched(out, previous)
    for _ in range(50):  # the kernel is killed, not left to notice its parent's death
        if not _kernel_alive(kernel):
            break
        time.sleep(0.1)
    assert not _kernel_alive(kernel)
    _no_kernel_dirs(tmp_path)


def test_several_runs_continue_past_a_failing_report(tmp_path):
    """Several params files go through the batch runner: the failure is one row of its
    summary (with the file and why), the other report completes, the exit code is 2."""
    good = hostile_case(tmp_path / "good")
    bad = hostile_case(tmp_path / "bad", id="broken")
    (tmp_path / "bad" / "leads.csv").write_text("lead_id,created_at,channel\n1,x,SEO\n")
    proc = _leadroi("run", bad, good, "--out", tmp_path / "out", env=_env(tmp_path))
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 2
    printed = stdout + stderr
    assert "1 of 2 reports ok, 1 failed" in printed and str(bad) in printed
    assert "leads.csv" in printed and "Traceback" not in printed
    assert all((tmp_path / "out" / "hostile" / name).is_file() for name in OUTPUTS)
    assert not (tmp_path / "out" / "broken" / "broken.pdf").exists()


def test_run_report_failures_are_per_report_exceptions(tmp_path):
    """What a batch runner catches: a failing report raises ReportError (a
    LeadRoiError), never SystemExit or a bare exception."""
    params = hostile_case(tmp_path / "case")
    notebooks = notebook_with_cell(tmp_path / "nb", "1 / 0")
    old = os.environ.get("LEADROI_NOTEBOOKS")
    os.environ["LEADROI_NOTEBOOKS"] = str(notebooks)
    try:
        with pytest.raises(ReportError) as info:
            run.run_report(params, out_dir=tmp_path / "out")
    finally:
        if old is None:
            del os.environ["LEADROI_NOTEBOOKS"]
        else:
            os.environ["LEADROI_NOTEBOOKS"] = old
    assert info.value.step == "execute" and info.value.cell == 3
    assert info.value.exit_code == 1
