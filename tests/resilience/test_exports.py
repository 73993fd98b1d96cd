"""The packages' public names: sorted ``__all__``, every name defined."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["hub.resilience", "hub.observability"])
def test_all_is_sorted_and_complete(package: str) -> None:
    module = importlib.import_module(package)
    names = module.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    assert all(hasattr(module, name) for name in names)
