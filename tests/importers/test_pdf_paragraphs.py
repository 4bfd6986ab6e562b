"""How the PDF reader joins wrapped lines into paragraphs (helpers.importers.pdf._join_lines)."""
from __future__ import annotations

from helpers.importers import pdf
from helpers.importers.grid import Paragraph

LEFT, RIGHT, SIZE = 80.0, 520.0, 12.0


def _lines(*rows):
    """(x0, x1, text) per line, one line height apart on one page."""
    return [(0, "line", {"x0": x0, "x1": x1, "top": 100 + i * 21.6, "bottom": 112 + i * 21.6, "page": 1,
                         "text": text, "cells": [(text, (x0 + x1) / 2)]})
            for i, (x0, x1, text) in enumerate(rows)]


def _paragraphs(*rows) -> list[str]:
    return [b.text for b in pdf._paragraphs(_lines(*rows), LEFT, RIGHT) if isinstance(b, Paragraph)]


def test_a_line_cut_short_in_mid_sentence_continues_its_paragraph():
    # the next words did not fit ("发布会 12 场" is kept together), the paragraph goes on
    assert _paragraphs((104, RIGHT, "组织召开了专项活动"), (LEFT, 480, "等新闻发布"),
                       (LEFT, 300, "会 12 场，回应关切。")) == ["组织召开了专项活动等新闻发布会 12 场，回应关切。"]


def test_a_short_line_ending_a_sentence_or_a_heading_ends_its_paragraph():
    assert _paragraphs((104, RIGHT, "全年公开信息"), (LEFT, 300, "120 条。"), (LEFT, RIGHT, "下一段")) == [
        "全年公开信息120 条。", "下一段"]
    # a one-line heading without punctuation, then a paragraph that is not indented
    assert _paragraphs((LEFT, 200, "（一）主动公开情况"), (LEFT, RIGHT, "全年公开信息")) == [
        "（一）主动公开情况", "全年公开信息"]
