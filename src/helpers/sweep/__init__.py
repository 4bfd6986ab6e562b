"""Sweeps: render every selected agency-year into one output folder, fast, incrementally and
fault-tolerantly, and publish the folder as a small static site (index.html, summary.csv).

Modules: definition (params/sweeps/NAME.yaml), options (SweepOptions from a definition and the
command line), plan (selection, input keys, what to render and why), pool (forked workers,
timeouts, isolation), worker (what a forked worker does for one report), manifest (per-report
outcome, written after each report), site (index.html, summary.csv: no server paths, times in the
office's zone), lock (one sweep per folder), remote (the same reports and roll-ups rendered on a
Dask cluster: what travels with a task, what a worker does, how the client writes what comes back),
runner (ties them together). The roll-up of every agency with units (helpers.rollup) is planned,
rendered, recorded and published the same way, beside the reports.
"""
