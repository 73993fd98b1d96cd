"""The linkage benchmark against a real sync: the local ids its ground truth names are the ones
the connectors store, so no record is missing on either side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.linkage import crosswalk_links, ground_truth, quality
from schema.scenario import Scenario
from tests.e2e.stack import running_stack

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.e2e
def test_the_ground_truth_names_the_records_the_sync_links(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    truth = ground_truth(json.loads((FIXTURES / "small_scenario.json").read_text()))
    with running_stack(small_scenario, tmp_path) as stack:
        links = crosswalk_links(stack.environ)
    result = quality(truth, links)
    assert (result.unlinked, result.unknown) == (0, 0)
    assert result.records == len(truth) and result.true_pairs > 0
