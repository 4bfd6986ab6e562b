"""The two ways a report is made, named once.

A str enum, so that notebook parameters, JSON (manifest, provenance) and comparisons with the text
"draft"/"publish" keep working unchanged.
"""
from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    PUBLISH = "publish"   # refused while the data break a hard rule or a required section is missing
    DRAFT = "draft"       # always rendered: problems marked in the tables and listed at the end

    @property
    def label(self) -> str:
        """How a report names the mode (a draft's title says 草稿, so do its watermarks)."""
        return "发布" if self is Mode.PUBLISH else "草稿"
