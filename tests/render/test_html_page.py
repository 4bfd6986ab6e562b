"""The HTML exporter's page (render/export/html.py) is nbconvert's template output without
nbconvert's closing BeautifulSoup pass, which would only re-serialise it; a page where that pass
has something to do (a picture without alt text) still gets it."""
from __future__ import annotations

import re

import nbformat
from bs4 import BeautifulSoup

from helpers.render.export import html as html_export
from helpers.render.warm import warm_up_notebook


def test_page_is_what_nbconverts_whole_treatment_gives_only_not_reserialised(monkeypatch):
    nb = warm_up_notebook()
    ours = html_export.notebook_to_html(nb)
    monkeypatch.setattr(html_export, "_NEEDS_SOUP", re.compile(""))     # always nbconvert's whole path
    theirs = html_export.notebook_to_html(nb)
    assert ours != theirs and str(BeautifulSoup(ours, features="html.parser")) == theirs
    pictures = BeautifulSoup(ours, features="html.parser").find_all("img")
    assert len(pictures) == 2 and all(img["alt"].strip() for img in pictures)     # the charts' titles


def test_a_picture_without_alt_text_gets_nbconverts_alt_text():
    nb = warm_up_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<p>附图</p><img src="data:image/png;base64,iVBORw0KGgo=">'})]))
    page = BeautifulSoup(html_export.notebook_to_html(nb), features="html.parser")
    assert [img.get("alt") for img in page.find_all("img")][-1] == "No description has been provided for this image"
