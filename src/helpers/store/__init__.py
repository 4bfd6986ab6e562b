"""The data store: what has been imported, per agency and year.

In: Report objects (helpers.format.model) from the importers, agency records (schema.Agency) from
params/agencies.yaml. Out: the same, read back; fingerprints for incremental sweeps.

    database      SQLAlchemy Core tables and the Store class (SQLite by default, PostgreSQL by URL)
    declarations  params/agencies.yaml (or an office's own file): the agencies it declares
    tree          the agencies' parent_id tree: units below an agency; cycles and unknown parents refused
"""
from .database import EMPTY_STORE, ROLLUP_SOURCE, SaveResult, Store

__all__ = ["EMPTY_STORE", "ROLLUP_SOURCE", "SaveResult", "Store"]
