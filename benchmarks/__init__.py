"""Speed and memory figures for composer; run with ``python -m benchmarks`` (today's figures: docs/performance.md)."""
