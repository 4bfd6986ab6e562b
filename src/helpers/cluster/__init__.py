"""Beyond one machine: sweeps and imports run on a Dask cluster, the store on a PostgreSQL server.

In: jobs (a report to render, a file to import) and the address of a Dask scheduler. Out: the
same results the local forked pool (sweep.pool) gives, delivered to the client as each job
finishes. What a job needs travels with it; a worker needs the installed package and the database.

    executor  client side: connect (clear error if unreachable), refuse workers of another version,
              run_jobs with the pool's contract (bounded number of tasks in flight, reruns, Ctrl-C)
    task      worker side: identity (version, rendering fingerprint), the work in a forked child
    quiet     Dask's housekeeping at batch intervals (idle cluster: 10.5 % of a core -> 1.4 %)
    store     which stores a cluster can use (PostgreSQL; SQLite refused, saying why)
    local     throw-away PostgreSQL, Dask scheduler and workers on 127.0.0.1 (tests, benchmarks)
    demo      `make cluster-demo`
The jobs themselves: sweep.remote (reports), ingest_parallel (files to import).
"""
