"""What the notebook hands over: records carried as metadata of one display output each, so that
the executed notebook, or the partial one a failed run leaves, is the only channel. The pipeline
and any exporter (`jupyter nbconvert --to xxgk_pdf`) read the same records.

    PROVENANCE   the provenance record, on the provenance footer (report.page.provenance_footer)
    CHECKS       the check findings as dicts, on the gate cell's count (report.context.record_checks)
    read(nb, key) -> the record, or None if no output carries it
"""
from __future__ import annotations

PROVENANCE = "xxgk_provenance"
CHECKS = "xxgk_checks"


def read(nb, key: str):
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = out.get("metadata", {}) or {}
            if key in meta:
                return meta[key]
    return None
