"""Argument types shared by the subcommands: a value is checked where the command line is read,
before anything is opened or written."""
from __future__ import annotations

import argparse

from ..errors import InvalidYear
from ..format.ids import check_year


def year(text: str) -> int:
    """Every --year: a report year in the schema's range (`--year 99999` or `-5` would otherwise
    name files and folders)."""
    try:
        return check_year(text)
    except InvalidYear as exc:
        raise argparse.ArgumentTypeError(exc.detail) from None
