"""Benchmarks (not tests): `make bench` writes BENCHMARKS.md; see bench/__main__.py."""
