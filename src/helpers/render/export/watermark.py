"""The light diagonal "草稿" that marks every page of a draft, as an SVG image.

The characters are drawn as outlines (matplotlib's TextPath in Noto Sans CJK SC), so the mark is a
picture: it does not depend on the reader's fonts and adds nothing to the text a reader copies or an
importer reads from the PDF. The HTML page shows it behind the text, the PDF on every page (report.css
via the template); the Word document has Word's own watermark (docx_page.py).
"""
from __future__ import annotations

import base64
from functools import cache

from ...report.mode import Mode

ANGLE = 35             # degrees, rising from lower left to upper right
COLOR = "#b0b0b0"
OPACITY = 0.28         # light: the text under it stays easy to read
_SIZE = 100            # font units of the outline; the image scales


def _path_data(text: str) -> tuple[str, float, float]:
    """SVG path data of `text` (y downwards) and its width and height."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    from ...report.charts import FONT_FAMILY, setup_fonts

    setup_fonts()   # the font is really there (or a clear error)
    outline = TextPath((0, 0), text, size=_SIZE, prop=FontProperties(family=FONT_FAMILY, weight="bold"))
    box = outline.get_extents()
    ops = {Path.MOVETO: "M", Path.LINETO: "L", Path.CURVE3: "Q", Path.CURVE4: "C"}
    parts = []
    for points, code in outline.iter_segments(simplify=False, curves=True):
        if code == Path.CLOSEPOLY:
            parts.append("Z")
            continue
        xy = " ".join(f"{x - box.x0:.1f} {box.y1 - y:.1f}" for x, y in points.reshape(-1, 2))
        parts.append(f"{ops[code]}{xy}")
    return "".join(parts), box.width, box.height


@cache
def svg(text: str = Mode.DRAFT.label) -> str:
    """The mark: `text` rotated by ANGLE in a square, light grey, semi-transparent."""
    d, w, h = _path_data(text)
    side = round(max(w, h) * 1.2)
    cx, cy = side / 2, side / 2
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}">'
            f'<g transform="rotate({-ANGLE} {cx} {cy}) translate({cx - w / 2:.1f} {cy - h / 2:.1f})">'
            f'<path d="{d}" fill="{COLOR}" fill-opacity="{OPACITY}"/></g></svg>')


def data_uri(text: str = Mode.DRAFT.label) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(text).encode("ascii")).decode("ascii")
