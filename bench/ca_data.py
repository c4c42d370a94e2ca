"""Put ChannelAttribution's reference ``Data.csv`` where the tests and the benchmark look.

    .venv/bin/python bench/ca_data.py

ChannelAttribution (GPL, in the ``bench`` extra: a test and benchmark reference only,
never imported by ``leadroi``) ships ``Data.csv`` — 10,000 aggregated paths — in its
source distribution but not in the installed package. This script downloads the sdist of
the installed version with pip and copies the file to
``<venv>/share/channelattribution/Data.csv``. It does nothing when the file is already
there or ChannelAttribution is not installed; `make test` runs it (the bench extra).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

TARGET = Path(sys.prefix) / "share" / "channelattribution" / "Data.csv"


def fetch(target: Path = TARGET) -> Path | None:
    """Extract ``Data.csv`` from the sdist of the installed ChannelAttribution.

    Returns
    -------
    Path or None
        The file, or None when ChannelAttribution is not installed.
    """
    if target.is_file():
        return target
    try:
        installed = version("ChannelAttribution")
    except PackageNotFoundError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", "ChannelAttribution",
                        f"ChannelAttribution=={installed}", "--dest", tmp], check=True)
        sdist = next(Path(tmp).glob("*.tar.gz"))
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data/Data.csv"))
            data = tar.extractfile(member).read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def main() -> int:
    found = fetch()
    print(f"ChannelAttribution Data.csv: {found}" if found else
          "ChannelAttribution is not installed: nothing to fetch (pip install -e '.[bench]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
