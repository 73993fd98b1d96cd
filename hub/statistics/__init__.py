"""Coverage statistics: the run that counts, the disclosure control that guards what it publishes.

- ``rules``: the disclosure rules of a release (threshold, rounding, dominance, sensitive
  categories), versioned and carried by every table;
- ``cube``: one table's cells and margins as counted in memory during a run;
- ``attack``: the linear program an attacker would solve against a published table;
- ``disclosure``: applies the rules to a counted table and returns what may be published.

See docs/statistics.md.
"""
