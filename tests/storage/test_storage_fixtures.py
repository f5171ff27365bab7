"""The db_url fixture refuses to pass without PostgreSQL: a skipped PostgreSQL run is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_postgresql_variant_fails_without_a_server() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    target = "tests/storage/test_storage_engine.py::test_a_naive_datetime_is_refused"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", target, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout
    assert "A skipped PostgreSQL run is a failure" in result.stdout
