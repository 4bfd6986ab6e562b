"""What the notebook hands over: records carried as metadata of one display output each, so that
the executed notebook, or the partial one a failed run leaves, is the only channel. The pipeline
and any exporter (`jupyter nbconvert --to xxgk_pdf`) read the same records.

    PROVENANCE   the provenance record, on the 落款 that closes the page (report.page.closing; a page
                 without one carries it on an empty output, report.page.show_provenance)
    CHECKS       the check findings as dicts, on the gate cell's count (report.context.record_checks)
    ROLLUP       a roll-up's summary (each unit's status; rollup.json), on its status (rollup.page.show_status)
    MEDIUM       SCREEN or PRINT on an output meant for the HTML page only or for the PDF only (a
                 roll-up's sortable list of 500 units is for the screen; the PDF lists who needs action)
    read(nb, key) -> the record, or None if no output carries it
"""
from __future__ import annotations

PROVENANCE = "xxgk_provenance"
CHECKS = "xxgk_checks"
ROLLUP = "xxgk_rollup"
MEDIUM = "xxgk_medium"
SCREEN, PRINT = "screen", "print"


def for_medium(output, medium: str) -> bool:
    """Whether a notebook output belongs on `medium` (outputs without MEDIUM belong on both)."""
    return (output.get("metadata") or {}).get(MEDIUM, medium) == medium


def has_medium(nb) -> bool:
    """Whether some output is meant for one medium only (then the PDF is printed from its own page)."""
    return any(MEDIUM in (out.get("metadata") or {})
               for cell in nb.get("cells", []) if cell.get("cell_type") == "code" for out in cell.get("outputs", []))


def read(nb, key: str):
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = out.get("metadata", {}) or {}
            if key in meta:
                return meta[key]
    return None
