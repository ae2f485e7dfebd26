"""The gates of `make test`, in order; each failure fails the run. Prints each gate's wall time.

Run through `make test` (which installs everything first). CI (`.ci/run`) runs exactly that.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent
WORKERS = os.environ.get("KEXUE_WORKERS", "2")


def _clean_build() -> list[str]:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)  # stale doctrees hide failures
    return [str(BIN / "jupyter-book"), "build", ".", "--builder", "html", "-W", "-n", "--keep-going"]


GATES: list[tuple[str, object]] = [
    ("1 lint (ruff)", [str(BIN / "ruff"), "check", "kexue_lab", "tests", "book/_ext"]),
    ("1 format (ruff)", [str(BIN / "ruff"), "format", "--check", "kexue_lab", "tests", "book/_ext"]),
    ("2 pairs + executed", [str(BIN / "python"), "-m", "kexue_lab", "check-notebooks"]),
    ("3 unit tests", [str(BIN / "pytest"), "-q", "-n", WORKERS, "-m", "not site", "tests"]),
    (
        "4 nbval (strict)",
        [
            str(BIN / "pytest"),
            "-q",
            "--nbval",
            "--nbval-current-env",
            "--nbval-cell-timeout=300",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            "-n",
            WORKERS,
            "--dist",
            "loadfile",
            "notebooks",
        ],
    ),
    ("5 book (strict, clean)", _clean_build),
    ("6 site + lab tests", [str(BIN / "pytest"), "-q", "-m", "site", "tests"]),
]


def main() -> int:
    env = dict(os.environ, PYTHONHASHSEED="0", KEXUE_PROFILE="ci")
    env.pop("MPLBACKEND", None)  # notebooks need the inline backend: their figures are outputs
    env.pop("KEXUE_DEVICE", None)
    times: list[tuple[str, float, str]] = []
    failed = False
    for name, cmd in GATES:
        if failed:
            times.append((name, 0.0, "skipped"))
            continue
        if callable(cmd):
            cmd = cmd()
        print(f"\n=== gate {name}: {' '.join(map(str, cmd))}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=ROOT, env=env)
        dt = time.perf_counter() - t0
        times.append((name, dt, "ok" if rc == 0 else f"FAILED (exit {rc})"))
        failed = rc != 0
    print("\n=== gate wall times")
    for name, dt, verdict in times:
        print(f"  {name:<26} {dt:7.1f} s  {verdict}")
    print(f"  {'total':<26} {sum(t for _, t, _ in times):7.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
