"""Seeds, profiles and devices: how every chapter starts and ends.

First used in chapter 9812 (attention scale).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import pathlib
import platform
import random
import time
from typing import Any

import numpy as np

__all__ = ["setup", "profile", "device", "finish", "record_result", "PROFILES"]

PROFILES = ("ci", "full")
_START: dict[str, float] = {}


def profile() -> str:
    """The run profile from ``KEXUE_PROFILE``: ``"ci"`` (default, small and fast) or ``"full"``."""
    value = os.environ.get("KEXUE_PROFILE", "ci").strip().lower() or "ci"
    if value not in PROFILES:
        raise ValueError(f"KEXUE_PROFILE must be one of {PROFILES}, got {value!r}")
    return value


def device():
    """``torch.device("cuda")`` when a GPU is present and allowed, else CPU.

    A GPU is allowed only under the ``full`` profile and when ``KEXUE_DEVICE`` is
    not ``cpu``: the ``ci`` profile always runs on the CPU so its outputs are the
    ones nbval compares.
    """
    import torch

    wanted = os.environ.get("KEXUE_DEVICE", "auto").strip().lower()
    if wanted not in ("auto", "cpu", "cuda"):
        raise ValueError(f"KEXUE_DEVICE must be auto, cpu or cuda, got {wanted!r}")
    if wanted == "cpu" or profile() == "ci":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if wanted == "cuda":
        raise RuntimeError("KEXUE_DEVICE=cuda but no CUDA device is available")
    return torch.device("cpu")


def setup(seed: int = 0, *, threads: int = 1) -> np.random.Generator:
    """Seed Python, numpy and torch; make torch deterministic; fix the CPU thread count.

    Returns a ``numpy.random.Generator`` seeded with ``seed``. Prints nothing.
    One thread by default: results then do not depend on the machine's core count
    (reductions in a different order round differently).
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive int, got {threads!r}")
    import torch
    from threadpoolctl import threadpool_limits

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)
    threadpool_limits(threads)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    _START["cpu"] = time.process_time()
    _START["wall"] = time.perf_counter()
    return np.random.default_rng(seed)


class RunReport:
    """What :func:`finish` displays: CPU seconds of the run, profile and device."""

    def __init__(self, cpu_seconds: float, wall_seconds: float, profile: str, device: str) -> None:
        self.data = {
            "cpu_seconds": round(cpu_seconds, 1),
            "wall_seconds": round(wall_seconds, 1),
            "profile": profile,
            "device": device,
        }

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        d = self.data
        text = f"This run: {d['cpu_seconds']} s CPU, {d['wall_seconds']} s wall, profile {d['profile']}, device {d['device']}."
        return {"text/plain": text, "application/vnd.kexue.runtime+json": dict(d)}


def finish() -> RunReport:
    """Report the CPU time since :func:`setup` (the status page reads it from the notebook).

    The cell that calls this must carry the ``nbval-ignore-output`` tag: times
    differ from run to run.
    """
    if "cpu" not in _START:
        raise RuntimeError("finish() called before setup()")
    return RunReport(
        time.process_time() - _START["cpu"],
        time.perf_counter() - _START["wall"],
        profile(),
        str(device()),
    )


def record_result(path: str | pathlib.Path, payload: dict[str, Any]) -> pathlib.Path:
    """Write a full-profile result file (``<chapter dir>/results/<id>.json``) with date and device.

    ``payload`` must be JSON-serialisable. The date, device name, torch version
    and profile are added so the chapter can show where its numbers came from.
    """
    if not isinstance(payload, dict):
        raise TypeError("payload must be a dict")
    import torch

    dev = device()
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else platform.processor() or platform.machine()
    record = {
        "date": _dt.date.today().isoformat(),
        "profile": profile(),
        "device": f"{dev.type}: {name}",
        "torch": torch.__version__,
        **payload,
    }
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
