"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder.

``LEADROI_TEST_POSTGRES_URL`` points the tests at an existing server instead. Without
either, the PostgreSQL tests skip with the reason, except when
``LEADROI_REQUIRE_POSTGRES=1`` (set by ``.ci/run``): then they fail, so CI always runs
them against a real server.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "find_bindir"]


def find_bindir() -> Path | None:
    """Folder holding ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH)."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if (Path(out) / "initdb").is_file():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with :meth:`start` (returns a URL, or raises RuntimeError saying why not);
    :meth:`stop` removes everything."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.bindir: Path | None = None
        self.prefix: list[str] = []

    def _run(self, *args: str) -> None:
        res = subprocess.run([*self.prefix, *args], capture_output=True, text=True)
        if res.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {res.stderr.strip()[-400:]}")

    def start(self) -> str:
        self.bindir = find_bindir()
        if self.bindir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb) installed; "
                               "`scripts/system-deps.sh test` installs them as root")
        self.folder = Path(tempfile.mkdtemp(prefix="leadroi-pg-"))
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root without runuser to drop to 'postgres'")
            try:
                shutil.chown(self.folder, user="postgres")
            except (LookupError, PermissionError) as exc:
                raise RuntimeError(f"no 'postgres' user to run the server as ({exc})") from None
            self.prefix = ["runuser", "-u", "postgres", "--"]
        data, port = self.folder / "data", _free_port()
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                  "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "-t", "60", "start")
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def stop(self) -> None:
        if self.folder is None:
            return
        if self.bindir is not None and (self.folder / "data" / "postmaster.pid").exists():
            subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D",
                            str(self.folder / "data"), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
