"""Benchmarks: slow measurements kept outside the test suite; results go to docs/BENCHMARKS.md."""
