"""The Apollo peer of bench/apollo.py: a gateway from the npm registry and Python subgraphs."""
