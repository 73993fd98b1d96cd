"""``HUB_GC_THRESHOLD``: the collector's thresholds for ``pmihub serve``, checked at start."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.gc_tuning import DEFAULT_THRESHOLD, gc_threshold, tune_gc
from hub.settings import SettingsError


@pytest.fixture
def restored_gc() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_the_default_and_an_explicit_setting() -> None:
    assert gc_threshold({}) == DEFAULT_THRESHOLD
    assert gc_threshold({"HUB_GC_THRESHOLD": " 1000, 10,10 "}) == (1000, 10, 10)
    assert gc_threshold({"HUB_GC_THRESHOLD": "python"}) is None


@pytest.mark.parametrize("raw", ["0,10,10", "1000,10", "a,b,c", "1000,10,10,10", "-5,1,1"])
def test_a_bad_setting_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError, match="HUB_GC_THRESHOLD"):
        gc_threshold({"HUB_GC_THRESHOLD": raw})


def test_tuning_freezes_start_up_and_sets_the_thresholds(restored_gc: None) -> None:
    tune_gc({"HUB_GC_THRESHOLD": "40000,15,90"})
    assert gc.get_threshold() == (40000, 15, 90)
    assert gc.get_freeze_count() > 0


def test_python_keeps_cpythons_collector(restored_gc: None) -> None:
    before = gc.get_threshold()
    tune_gc({"HUB_GC_THRESHOLD": "python"})
    assert gc.get_threshold() == before


def test_pmihub_serve_refuses_a_bad_setting_before_it_starts(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HUB_ENV": "dev",
        "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "HUB_GC_THRESHOLD": "lots",
    }
    (tmp_path / "hub.db").touch()  # an (empty) database: the setting is what is refused
    cli = Path(sys.executable).with_name("pmihub")
    done = subprocess.run(
        [str(cli), "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "HUB_GC_THRESHOLD" in done.stdout + done.stderr
