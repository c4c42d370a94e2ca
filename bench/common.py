"""What the benchmark scripts share: the sample data they run on, and recording their figures
in ``bench/RESULTS.md`` (one ``## `` section per script)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"

__all__ = ["ROOT", "RESULTS", "ensure_sample", "write_section"]


def ensure_sample() -> None:
    """Generate the sample data (``leadroi sample data/sample``) unless it is there."""
    if not (ROOT / "data" / "sample" / "leads.csv").is_file():
        subprocess.run([sys.executable, "-m", "leadroi.cli", "sample", "data/sample"],
                       check=True, cwd=ROOT)


def write_section(heading: str, body: str, path: Path = RESULTS) -> None:
    """Replace the section ``## <heading>`` of ``path`` with ``body`` (append it if there is
    no such section); the other sections, and the findings written under their own
    headings, are left as they are."""
    old = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    section = f"## {heading}\n\n{body.strip()}\n"
    start = old.find(f"## {heading}\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + section
    else:
        end = old.find("\n## ", start + 1)
        new = old[:start] + section + (old[end:] if end >= 0 else "")
    path.write_text(new, encoding="utf-8")
