"""Database URLs without their password: what may be written, shown and passed on.

A PostgreSQL URL may carry a password (`postgresql://user:secret@host/db`, or `?password=`). The
password never leaves this module in a URL: `public(url)` takes it out and keeps it in the process
environment ($XXGK_DB_PASSWORD), which the workers and notebook kernels a process starts inherit;
`connectable(url)` puts it back only where a connection is made (store.database). So a report's
notebook, its parameters, provenance, the manifest, logs and messages only ever hold the public
URL. Users may also set $XXGK_DB_PASSWORD themselves and leave the password out of the URL.

    public(url) -> url without password (remembered in the environment)
    connectable(url) -> url with the remembered password, for the driver
    redact(text) -> text with the remembered password (plain or URL-encoded) replaced by ***
"""
from __future__ import annotations

import os
from urllib.parse import quote, quote_plus

PASSWORD_ENV = "XXGK_DB_PASSWORD"
HIDDEN = "***"


def _parse(url: str):
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except ArgumentError:
        return None


def _render(url) -> str:
    return url.render_as_string(hide_password=False)


def split(url: str) -> tuple[str, str | None]:
    """(the URL without any password, the password or None)."""
    parsed = _parse(url) if "://" in url else None
    if parsed is None or (parsed.password is None and "password" not in parsed.query):
        return url, None
    password = parsed.password
    if "password" in parsed.query:
        value = parsed.query["password"]
        password = password or (value[0] if isinstance(value, tuple) else value)
        parsed = parsed.difference_update_query(["password"])
    # URL.set() takes None for "unchanged": replace the field itself
    return _render(parsed._replace(password=None)), str(password)


def public(url: str) -> str:
    """`url` without its password; the password, if any, is kept in the environment for the
    connections this process and its children make."""
    bare, password = split(url)
    if password:
        os.environ[PASSWORD_ENV] = password
    return bare


def connectable(url: str) -> str:
    """The URL the driver gets: a user without password gets the remembered one."""
    password = os.environ.get(PASSWORD_ENV)
    parsed = _parse(url) if password and "://" in url else None
    if parsed is None or not parsed.username or parsed.password or parsed.get_backend_name() == "sqlite":
        return url
    return _render(parsed._replace(password=password))


def redact(text: str) -> str:
    """`text` with the remembered password, as written or URL-encoded, replaced by ***."""
    password = os.environ.get(PASSWORD_ENV)
    if not password or not text:
        return text
    for form in {password, quote(password, safe=""), quote_plus(password)}:
        text = text.replace(form, HIDDEN)
    return text
