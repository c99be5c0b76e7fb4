"""Synthetic data for the scale benchmark: N× today's models and benchmarks, valid against the schemas.

Every real entry gets `factor - 1` variants: a unique id (`<id>-s<n>`) and name, the same fields with
the same realistic lengths, and summaries marked as a variant so no two entries read exactly alike.
Written into a working copy of the repository only; nothing here touches the real data/.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

COLLECTIONS = {"models": "model", "benchmarks": "benchmark"}


class _PlainDumper(yaml.SafeDumper):
    """Block-style YAML without anchors or aliases (the data loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def variant(entry: dict[str, Any], n: int) -> dict[str, Any]:
    """The n-th synthetic copy of a real entry."""
    clone = copy.deepcopy(entry)
    clone["id"] = f"{entry['id']}-s{n}"
    clone["name"] = f"{entry['name']} S{n}"
    clone["summary"] = {"zh": f"{entry['summary']['zh']}（合成变体 {n}）",
                        "en": f"{entry['summary']['en']} (synthetic variant {n})"}
    return clone


def scale_data(data_dir: Path, factor: int) -> dict[str, int]:
    """Add `factor - 1` variants of every model and benchmark under `data_dir`; return the new counts."""
    counts = {}
    for collection, schema in COLLECTIONS.items():
        folder = data_dir / collection
        originals = sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(("_", ".")))
        header = f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n"
        for path in originals:
            entry = yaml.safe_load(path.read_text(encoding="utf-8"))
            for n in range(1, factor):
                clone = variant(entry, n)
                text = yaml.dump(clone, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)
                (folder / f"{clone['id']}.yaml").write_text(header + text, encoding="utf-8")
        counts[collection] = len(originals) * factor
    return counts
