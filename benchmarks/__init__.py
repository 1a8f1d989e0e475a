"""Speed and memory figures for composer; run with ``python -m benchmarks`` (see the README)."""
