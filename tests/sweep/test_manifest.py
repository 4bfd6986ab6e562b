"""The manifest is written after every report while that is cheap, and no more often than a
share of the time once it is large."""
from __future__ import annotations

import json

from helpers.sweep import manifest as manifest_module
from helpers.sweep.manifest import Manifest


def entry(i: int) -> dict:
    return {"agency": f"unit-{i:05d}", "year": 2024, "status": "rendered", "result": "rendered"}


def saved(out) -> int:
    return len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"])


def test_small_manifest_is_saved_after_every_report(tmp_path):
    m = Manifest(tmp_path)
    for i in range(5):
        m.put(entry(i))
        m.save_soon()
        assert saved(tmp_path) == i + 1


def test_large_manifest_is_saved_at_most_once_per_share_of_its_save_time(tmp_path, monkeypatch):
    m = Manifest(tmp_path)
    for i in range(3000):
        m.put(entry(i))
    m.save()
    monkeypatch.setattr(manifest_module, "CHEAP_SAVE", 0.0)     # every save counts as slow
    monkeypatch.setattr(manifest_module, "SAVE_SHARE", 1e6)     # and the next one is far away
    m.put(entry(3000))
    m.save_soon()
    assert saved(tmp_path) == 3000                              # not yet: the last save was just now
    m.save()                                                    # the sweep's last save writes it
    assert saved(tmp_path) == 3001
