"""Benchmarks: each prints its figure as a ratio (against a limit or a peer) and absolutes."""
