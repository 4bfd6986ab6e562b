"""Beyond one machine: sweeps and imports run on a Dask cluster, the store on a PostgreSQL server.

In: jobs (a report to render, a file to import) and the address of a Dask scheduler. Out: the
same results the local forked pool gives, delivered to the client as each job finishes.

    local   throw-away PostgreSQL, Dask scheduler and workers on 127.0.0.1 (tests, benchmarks,
            make cluster-demo)
"""
