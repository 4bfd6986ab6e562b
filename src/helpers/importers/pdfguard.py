"""Refuse PDFs that would cost unbounded memory or time, before their content is read.

pdfminer (under pdfplumber) decompresses each stream whole, in memory: a 1 MB file can hold a
stream that inflates to gigabytes. Inside `bounded()`, the decoders pdfminer calls (Flate, LZW,
RunLength) stop at limits.PDF_STREAM_BYTES per stream and limits.PDF_DECODED_BYTES for the whole
file, raising TooLarge; the reader turns that into a message. `check_pages` refuses a file of more
pages than a report has (limits.PDF_PAGES) before any page is laid out.
"""
from __future__ import annotations

import zlib
from contextlib import contextmanager

from .. import limits
from ..errors import InputError


class TooLarge(Exception):
    """A stream (or all of them) decompresses beyond the bounds."""


class _Budget:
    def __init__(self):
        self.left = limits.PDF_DECODED_BYTES

    def take(self, data: bytes) -> bytes:
        if len(data) > limits.PDF_STREAM_BYTES:
            raise TooLarge(f"一个数据流解压后超过 {limits.PDF_STREAM_BYTES // limits.MB} MB")
        self.left -= len(data)
        if self.left < 0:
            raise TooLarge(f"数据流解压后共超过 {limits.PDF_DECODED_BYTES // limits.MB} MB")
        return data


class _Decompressor:
    """zlib.decompressobj whose output is bounded (pdfminer's fallback for damaged streams)."""

    def __init__(self, budget: _Budget, *args):
        self._d, self._budget, self._out = zlib.decompressobj(*args), budget, 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._d.decompress(data, limits.PDF_STREAM_BYTES + 1 - self._out)
        self._out += len(out)
        if self._out > limits.PDF_STREAM_BYTES or self._d.unconsumed_tail:
            raise TooLarge(f"一个数据流解压后超过 {limits.PDF_STREAM_BYTES // limits.MB} MB")
        return self._budget.take(out)

    def flush(self, *args) -> bytes:
        return self._budget.take(self._d.flush(*args))


class _BoundedZlib:
    """What pdfminer.pdftypes calls as `zlib`: decompress stops at the bounds."""
    error = zlib.error

    def __init__(self, budget: _Budget):
        self._budget = budget

    def decompress(self, data: bytes, *args) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, limits.PDF_STREAM_BYTES + 1)
        if len(out) > limits.PDF_STREAM_BYTES or d.unconsumed_tail:
            raise TooLarge(f"一个数据流解压后超过 {limits.PDF_STREAM_BYTES // limits.MB} MB")
        if not d.eof:          # as zlib.decompress: a cut stream is an error (pdfminer then repairs)
            raise zlib.error("incomplete or truncated stream")
        return self._budget.take(out)

    def decompressobj(self, *args):
        return _Decompressor(self._budget, *args)


def _bounded_chunks(chunks, budget: _Budget) -> bytes:
    out, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limits.PDF_STREAM_BYTES:
            raise TooLarge(f"一个数据流解压后超过 {limits.PDF_STREAM_BYTES // limits.MB} MB")
        out.append(chunk)
    return budget.take(b"".join(out))


def _rl_size(data: bytes) -> int:
    """Decoded size of a RunLength stream, from its length bytes alone."""
    i, size = 0, 0
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            size, i = size + n + 1, i + n + 2
        else:
            size, i = size + 257 - n, i + 2
    return size


@contextmanager
def bounded():
    """pdfminer's stream decoders bounded while the block runs (one reader at a time: the
    process reads one file at a time)."""
    import io

    from pdfminer import lzw, pdftypes

    budget = _Budget()
    saved = pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode
    original_rl = pdftypes.rldecode

    def lzwdecode(data: bytes) -> bytes:
        return _bounded_chunks(lzw.LZWDecoder(io.BytesIO(data)).run(), budget)

    def rldecode(data: bytes) -> bytes:
        if _rl_size(data) > limits.PDF_STREAM_BYTES:
            raise TooLarge(f"一个数据流解压后超过 {limits.PDF_STREAM_BYTES // limits.MB} MB")
        return budget.take(original_rl(data))

    pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = _BoundedZlib(budget), lzwdecode, rldecode
    try:
        yield
    finally:
        pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = saved


def refuse(path, exc: TooLarge) -> InputError:
    return InputError(f"PDF 中的数据被压缩得异常（{exc}），不像一份年度报告，拒绝读取"
                      f"（疑似压缩炸弹）(PDF stream decompresses beyond the limit)", file=str(path))


def check_pages(path, pages: int) -> None:
    if pages > limits.PDF_PAGES:
        raise InputError(f"PDF 有 {pages} 页，超过上限 {limits.PDF_PAGES} 页，不像一份年度报告"
                         f" (too many pages)", file=str(path))
