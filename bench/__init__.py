"""Server-side benchmarks: every module here with a run() prints one table (python -m bench)."""
