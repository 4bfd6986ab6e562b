"""A piece of HTML that notebooks display as HTML and templates do not escape twice."""
from __future__ import annotations


class HtmlFragment(str):
    """A str holding ready, escaped HTML.

    `_repr_html_` makes Jupyter show it as HTML when it is the value of a cell; `__html__` is the
    markupsafe/Jinja protocol, so a template inserts it as is. Being a str, it still compares,
    concatenates and writes like the plain string it is.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __html__(self) -> str:
        return str(self)
