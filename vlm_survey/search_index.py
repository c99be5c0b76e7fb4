"""The search index every first visit fetches, written smaller:

- Material writes it with every Chinese character and every word break (jieba's U+200B) escaped as
  `\\uXXXX`, six bytes where UTF-8 takes three. The same JSON written as UTF-8 is about a tenth smaller
  gzipped; the search worker reads it unchanged.
- A word break beside a character that separates words anyway (a space, a Chinese comma: the index's own
  `separator`) splits nothing more, so it is dropped: the worker finds the same words in the rest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

INDEX = Path("search") / "search_index.json"  # MkDocs with Material; Zensical writes UTF-8 already
WORD_BREAK = "\u200b"


def compact(built: Path) -> None:
    """Rewrite one language's built index (if it has one) as UTF-8 JSON without spaces or spare word breaks."""
    path = built / INDEX
    if path.is_file():
        index = json.loads(path.read_bytes())
        fold = spare_word_breaks(index["config"]["separator"])
        for doc in index["docs"]:
            for key in ("title", "text"):
                doc[key] = fold.sub("", doc[key])
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def spare_word_breaks(separator: str) -> re.Pattern[str]:
    """The word breaks next to a character that `separator` (the index's regular expression) splits on by
    itself. A full stop is left alone: the separator splits on it only where no digit follows."""
    splits = re.compile(f"(?:{separator})")
    first = splits.pattern.find("[")
    end = splits.pattern.find("]+", first)
    if first < 0 or end < 0:
        raise ValueError(f"search separator {separator!r} has no character class")
    chars = splits.pattern[first:end + 1]  # the class itself, [\s\u200b...]
    return re.compile(f"{WORD_BREAK}+(?={chars})|(?<={chars}){WORD_BREAK}+")
