"""kexue_lab.runtime and kexue_lab.plotting."""

from __future__ import annotations

import json
import random

import matplotlib
import numpy as np
import pytest
import torch

from kexue_lab import plotting, runtime


def test_setup_seeds_everything_reproducibly():
    g1 = runtime.setup(seed=7)
    a = (random.random(), np.random.rand(), torch.rand(1).item(), g1.random())
    g2 = runtime.setup(seed=7)
    b = (random.random(), np.random.rand(), torch.rand(1).item(), g2.random())
    assert a == b
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError):
        runtime.setup(seed=seed)


def test_setup_rejects_bad_threads():
    with pytest.raises(ValueError):
        runtime.setup(threads=0)


def test_profile_default_full_and_invalid(monkeypatch):
    monkeypatch.delenv("KEXUE_PROFILE", raising=False)
    assert runtime.profile() == "ci"
    monkeypatch.setenv("KEXUE_PROFILE", "FULL")
    assert runtime.profile() == "full"
    monkeypatch.setenv("KEXUE_PROFILE", "huge")
    with pytest.raises(ValueError, match="KEXUE_PROFILE"):
        runtime.profile()


def test_device_is_cpu_in_ci_profile_and_validates(monkeypatch):
    monkeypatch.setenv("KEXUE_PROFILE", "ci")
    assert runtime.device().type == "cpu"
    monkeypatch.setenv("KEXUE_PROFILE", "full")
    monkeypatch.setenv("KEXUE_DEVICE", "cpu")
    assert runtime.device().type == "cpu"
    monkeypatch.setenv("KEXUE_DEVICE", "tpu")
    with pytest.raises(ValueError, match="KEXUE_DEVICE"):
        runtime.device()
    if not torch.cuda.is_available():
        monkeypatch.setenv("KEXUE_DEVICE", "cuda")
        with pytest.raises(RuntimeError, match="no CUDA"):
            runtime.device()


def test_finish_reports_cpu_time():
    runtime.setup(seed=0)
    rep = runtime.finish()
    bundle = rep._repr_mimebundle_()
    data = bundle["application/vnd.kexue.runtime+json"]
    assert data["cpu_seconds"] >= 0 and data["profile"] in runtime.PROFILES
    assert "CPU" in bundle["text/plain"]


def test_record_result_writes_date_and_device(tmp_path):
    p = runtime.record_result(tmp_path / "results" / "1.json", {"value": 3})
    rec = json.loads(p.read_text())
    assert rec["value"] == 3 and rec["date"] and rec["device"].startswith("cpu")
    with pytest.raises(TypeError):
        runtime.record_result(tmp_path / "x.json", [1, 2])


def test_plotting_style_applies():
    plotting.use_style()
    assert matplotlib.rcParams["axes.grid"] is True
    assert matplotlib.rcParams["figure.dpi"] == 100


def test_finish_before_setup_raises(monkeypatch):
    monkeypatch.setattr(runtime, "_START", {})
    with pytest.raises(RuntimeError, match="before setup"):
        runtime.finish()
