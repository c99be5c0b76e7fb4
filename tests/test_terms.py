"""One term per concept: the variants the glossary sets aside (`avoid:` in data/glossary.yaml) appear in no
page, data text or interface text of their language.

What is checked is what a reader reads: code (fenced and inline) and link addresses are left out, and in
English the text of links to other sites (the titles of papers, which keep their own spelling). A variant
in Latin letters ("token") counts in Chinese text only where it touches Chinese ("视觉 token"), so English
titles and the gloss "词元（token）" stay allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT
from vlm_survey.i18n import LABELS

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
EXTERNAL_LINK_TEXT = re.compile(r"\[[^\]\n]*\]\(https?://[^)\s]*\)")
HEADING_ID = re.compile(r"\{ #[^}\n]*\}")
# Names keep their makers' spelling: methods and metrics named in American English, a column the survey names.
PROPER_NAMES = re.compile(r"Contrastive Language-Image Pre-training|Average Normalized Levenshtein Similarity|"
                          r"(?:Direct Preference|Group Relative Policy|Proximal Policy) Optimization|"
                          r"Quantized Low-Rank Adaptation|Vision Encoder/Tokenizer")
IZE = re.compile(r"\b[A-Za-z]+iz(?:e|es|ed|ing|ation|ations|er|ers)\b")  # this site writes -ise (organise)
NOT_IZE = {"size", "sizes", "resize", "resized", "prize", "prizes", "seize", "citizen", "citizens"}


def glossary() -> list[dict[str, Any]]:
    return yaml.safe_load((ROOT / "data" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]


def avoided(lang: str) -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, variant, the term to write instead) of every variant the glossary sets aside in `lang`."""
    rules = []
    for term in glossary():
        for variant in term.get("avoid", {}).get(lang, []):
            if lang == "zh" and re.fullmatch(r"[A-Za-z -]+", variant):
                pattern = rf"(?:(?<=[{CJK}])|(?<=[{CJK}] )){re.escape(variant)}s?\b|\b{re.escape(variant)}s?(?= ?[{CJK}])"
            elif lang == "en":
                pattern = rf"(?<![\w-]){re.escape(variant)}(?![\w-])"
            else:
                pattern = re.escape(variant)
            rules.append((re.compile(pattern), variant, term[lang]))
    return rules


def readable(text: str, lang: str) -> str:
    """`text` with what a reader does not read as prose blanked out, keeping its line breaks."""
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))
    text = FENCE.sub(lambda m: m.group(0) if m.group(0).startswith(("```mermaid", "~~~mermaid")) else blank(m), text)
    text = HEADING_ID.sub(blank, INLINE_CODE.sub(blank, text))
    if lang == "en":
        text = PROPER_NAMES.sub(blank, EXTERNAL_LINK_TEXT.sub(blank, text))
    return LINK_TARGET.sub(blank, text)


def data_texts(value: Any, lang: str, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every `lang` text in a data document: the values under a `lang` key, and the glossary's
    term in that language; the `avoid` lists themselves are left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "avoid":
                continue
            where = f"{path}.{key}" if path else str(key)
            if key == lang and isinstance(item, str):
                yield where, item
            else:
                yield from data_texts(item, lang, where)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from data_texts(item, lang, f"{path}[{n}]")


def sources(lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every page, data text and interface text of `lang`."""
    for page in sorted((ROOT / "docs" / lang).rglob("*.md")):
        for number, line in enumerate(readable(page.read_text(encoding="utf-8"), lang).splitlines(), 1):
            yield f"{page.relative_to(ROOT)}:{number}", line
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in data_texts(document, lang):
            yield f"{path.relative_to(ROOT)}: {where}", readable(text, lang)
    for key, text in LABELS[lang].items():
        yield f"vlm_survey/i18n.py: {key}", text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_avoided_variant_is_written(lang: str) -> None:
    rules = avoided(lang)
    assert rules, f"data/glossary.yaml sets aside no {lang} variant: nothing to check"
    found = [f"{where}: “{match.group(0)}”, write “{instead}”"
             for where, text in sources(lang) for pattern, _, instead in rules for match in pattern.finditer(text)]
    assert not found, f"{len(found)} variant(s) the glossary sets aside:\n" + "\n".join(found)


def test_english_spells_ise() -> None:
    found = [f"{where}: “{match.group(0)}”" for where, text in sources("en") for match in IZE.finditer(text)
             if match.group(0).lower() not in NOT_IZE]
    assert not found, f"{len(found)} -ize spelling(s); this site writes -ise (organise, tokeniser):\n" + "\n".join(found)


def test_the_checker_sees_what_a_reader_reads() -> None:
    """The rules find a variant in prose and in a diagram, and leave code, addresses and the gloss alone."""
    zh = avoided("zh")
    text = readable("图像块与视觉 token；词元（token）`图像块` [链接](../a_图像块.md)\n```mermaid\nA[\"图像块\"]\n```", "zh")
    hits = [m.group(0) for pattern, _, _ in zh for m in pattern.finditer(text)]
    assert sorted(hits) == ["token", "图像块", "图像块"]
    en = avoided("en")
    text = readable("a pre-trained model; [Pre-training Vision](https://arxiv.org/abs/1) `pre-train`", "en")
    assert [m.group(0) for pattern, _, _ in en for m in pattern.finditer(text)] == ["pre-trained"]
    text = readable("## Tokenizers { #tokenizers } normalized by Proximal Policy Optimization", "en")
    assert IZE.findall(text) == ["Tokenizers", "normalized"]


def test_the_glossary_page_shows_each_choice(tmp_path: Path) -> None:
    """The glossary table names the variants set aside next to the definition, in each language."""
    from vlm_survey.tables import glossary_table
    html = glossary_table(glossary(), "zh")
    assert "本站不写作：图像块、补丁" in html
    assert "not written here: pre-trained" in glossary_table(glossary(), "en")
