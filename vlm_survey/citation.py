"""Citations: BibTeX for the survey and for every entry's paper, and "cite this page" from CITATION.cff.

Pure functions. BibTeX values are escaped (`escape_bibtex`); the cite block is drawn by
templates/cite.html, which escapes every value (vlm_survey.render).
The site's own citation (authors, version, year, license) is read from CITATION.cff, so the
block on each chapter and the file GitHub shows under "Cite this repository" cannot disagree.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any, Iterable

import yaml
from markupsafe import Markup

from vlm_survey.i18n import t
from vlm_survey.render import render

# The survey, exactly as docs/*/references.md offers it (a test keeps the two equal).
SURVEY_BIBTEX = (
    """@InProceedings{Li_2025_CVPR,
    author    = {Li, Zongxia and Wu, Xiyang and Du, Hongyang and Liu, Fuxiao and Nghiem, Huy and Shi, Guangyao},
    title     = {A Survey of State of the Art Large Vision Language Models: Benchmark Evaluations and Challenges},
    booktitle = {Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR) Workshops},
    month     = {June},
    year      = {2025},
    pages     = {1587-1606},
    doi       = {10.1109/CVPRW67362.2025.00147}
}""",
    """@misc{li2025surveystateartlarge,
    title         = {A Survey of State of the Art Large Vision Language Models: Alignment, Benchmark, Evaluations and Challenges},
    author        = {Zongxia Li and Xiyang Wu and Hongyang Du and Fuxiao Liu and Huy Nghiem and Guangyao Shi},
    year          = {2025},
    eprint        = {2501.02189},
    archivePrefix = {arXiv},
    primaryClass  = {cs.CV},
    url           = {https://arxiv.org/abs/2501.02189}
}""",
    """@misc{li2025benchmarkevaluations,
    title         = {Benchmark Evaluations, Applications, and Challenges of Large Vision Language Models: A Survey},
    author        = {Zongxia Li and Xiyang Wu and Hongyang Du and Huy Nghiem and Guangyao Shi},
    year          = {2025},
    eprint        = {2501.02189},
    archivePrefix = {arXiv},
    primaryClass  = {cs.CV},
    url           = {https://arxiv.org/abs/2501.02189v3}
}""",
)

_BIBTEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$")


def escape_bibtex(value: object) -> str:
    """A value from data as BibTeX text: whitespace folded, LaTeX specials escaped, braces balanced."""
    folded = re.sub(r"\s+", " ", str(value)).strip()
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in folded)


def _url(value: str) -> str:
    """A URL inside `url = {...}`: only braces and backslashes could break the entry."""
    return re.sub(r"[{}\\]", lambda m: "%" + format(ord(m.group()), "02X"), value)


def arxiv_id(url: str) -> str | None:
    """'2310.03744' for an arXiv abs/pdf address, None for any other address."""
    match = _ARXIV.search(url)
    return match.group(1) if match else None


def bibtex(kind: str, key: str, fields: Iterable[tuple[str, str]]) -> str:
    """Assemble one entry from already-escaped field values, aligned like the survey's entries."""
    fields = list(fields)
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"    {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}"


def paper_keys(collection: str, entry: dict[str, Any]) -> list[str]:
    """BibTeX keys of an entry's papers: the id, then id_2, id_3 ... for further papers."""
    papers = [entry["paper"]] if collection == "models" else entry["papers"]
    return [entry["id"] if n == 1 else f'{entry["id"]}_{n}' for n in range(1, len(papers) + 1)]


def bibtex_authors(names: Iterable[str]) -> str:
    """Names as published joined with ' and '; a name holding the word 'and' is braced so it stays one."""
    return " and ".join("{" + escape_bibtex(name) + "}" if re.search(r"\band\b", name, re.I)
                        else escape_bibtex(name) for name in names)


def entry_bibtex(collection: str, entry: dict[str, Any], page_url: str) -> list[str]:
    """One @misc entry per paper of a model or benchmark; `page_url` is its page on this site.

    The optional `title` and `authors` describe the (first) paper: when given, its entry carries them;
    otherwise, and for further papers, the title is the entry's name. Titles are case-protected, arXiv
    papers carry their eprint number, and the note says where the entry comes from.
    """
    papers = [entry["paper"]] if collection == "models" else entry["papers"]
    what = "Model" if collection == "models" else "Benchmark"
    entries = []
    for number, (key, paper) in enumerate(zip(paper_keys(collection, entry), papers)):
        first = number == 0
        fields = [("author", bibtex_authors(entry["authors"]))] if first and entry.get("authors") else []
        title = entry.get("title") if first else None
        fields += [("title", "{" + escape_bibtex(title or entry["name"]) + "}"), ("year", str(entry["year"]))]
        if collection == "models":
            fields.append(("organization", escape_bibtex(entry["organization"])))
        eprint = arxiv_id(paper)
        if eprint:
            fields += [("eprint", eprint), ("archivePrefix", "arXiv")]
        fields += [("url", _url(paper)),
                   ("note", f"{what} entry of the VLM Survey site: \\url{{{_url(page_url)}}}")]
        entries.append(bibtex("misc", key, fields))
    return entries


def load_cff(root: Path) -> dict[str, Any]:
    """The site's CITATION.cff as a mapping (raises FileNotFoundError naming the file if missing)."""
    path = root / "CITATION.cff"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the cite-this-page blocks are built from it")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _author_names(cff: dict[str, Any]) -> list[str]:
    """Authors as CITATION.cff lists them: an entity's name, or 'family, given' for a person."""
    names = []
    for author in cff["authors"]:
        if "name" in author:
            names.append(author["name"])
        else:
            names.append(", ".join(p for p in (author.get("family-names"), author.get("given-names")) if p))
    return names


def page_citation(cff: dict[str, Any], lang: str, page_key: str, title: str, site_name: str,
                  url: str) -> tuple[str, str]:
    """(BibTeX, plain text) citing one page of the site in `lang`; see `cite_block`."""
    authors = _author_names(cff)
    year = str(cff["date-released"])[:4]
    version = str(cff["version"])
    bib_authors = " and ".join("{" + escape_bibtex(a) + "}" if "," not in a else escape_bibtex(a) for a in authors)
    entry = bibtex("misc", f"vlmsurvey-{lang}-{page_key}", [
        ("author", bib_authors), ("title", escape_bibtex(title)), ("howpublished", escape_bibtex(site_name)),
        ("year", year), ("url", _url(url)),
        ("note", t(lang, "cite.bib_note", version=escape_bibtex(version))),
    ])
    plain = t(lang, "cite.plain", authors=t(lang, "cite.and").join(authors), year=year, title=title,
              site=site_name, version=version, url=url)
    return entry, plain


def cite_block(cff: dict[str, Any], lang: str, page_key: str, title: str, site_name: str, url: str,
               survey_href: str) -> Markup:
    """A collapsible "cite this page" block (BibTeX + plain text), left out of the search index."""
    entry, plain = page_citation(cff, lang, page_key, title, site_name, url)
    return render("cite.html", t=partial(t, lang), plain=plain, bibtex=entry, survey_href=survey_href)
