"""`make bench`: runs every benchmarks/bench_*.py module's run() in turn.

Figures are reported as ratios against a baseline measured in the same run, since the machines are shared.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(selected: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    for name in names:
        if selected and name.removeprefix("bench_") not in selected:
            continue
        print(f"\n=== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


raise SystemExit(main(sys.argv[1:]))
