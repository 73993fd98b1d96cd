"""A deterministic generator of a realistic synthetic PMI population and its ground truth.

``generate`` writes a scenario file (SCENARIO.md, docs/scenario.md): people with real-format
NIKs from real sending regions, their records at Kemnaker, P2MI, BPJS Ketenagakerjaan and the
missions in each agency's own spelling, and every situation the protection rules look for.
``TARGETS`` states the distributions it aims at, with their sources and tolerances.
"""

from schema.population.generator import GenerationStats, build_scenario, generate, iter_people
from schema.population.targets import MORATORIUM_COUNTRIES, RATES, TARGETS, Target

__all__ = [
    "MORATORIUM_COUNTRIES",
    "RATES",
    "TARGETS",
    "GenerationStats",
    "Target",
    "build_scenario",
    "generate",
    "iter_people",
]
