"""The data store: what has been imported, per agency and year.

In: Report objects (helpers.format.model) from the importers, agency records (schema.Agency) from
params/agencies.yaml. Out: the same, read back; fingerprints for incremental sweeps.

    database      SQLAlchemy Core tables and the Store class (SQLite by default, PostgreSQL by URL)
    declarations  params/agencies.yaml: the agencies an office declares
"""
from .database import SaveResult, Store

__all__ = ["SaveResult", "Store"]
