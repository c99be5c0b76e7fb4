"""Translation freshness: is a page behind the other language's version of it?

Each page records in its front matter the revision (a git commit) at which it and its
counterpart in the other language were last known to say the same thing:

    ---
    synced_with: "1a2b3c4d5e6f"
    ---

A page is *behind* when its counterpart's text (front matter aside) differs from what it was
at that revision while the page's own text does not: the other language moved on and this one
did not follow. When both changed, the tool cannot tell whether they still match and reports
*both-changed*; recording a new revision (`sync`) settles it. Working-tree files are compared,
so a build shows exactly the state it is built from. Without git (or without history) nothing
can be compared: `GitUnavailable` says why, and the build simply shows no banner.

`Git.last_changed` also gives each page source's last commit date (the pages' "last updated", staged by
vlm_survey/stage.py), for every file at once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from vlm_survey.languages import codes

KEY = "synced_with"
STATES = ("current", "behind", "both-changed", "unsynced", "unknown-revision")
REVISION = re.compile(r"[^\s:]+")  # what `synced_with` may hold to be looked up (git reads one name a line)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


class GitUnavailable(RuntimeError):
    """git is missing, or the folder has no history to compare with."""


@dataclass(frozen=True)
class Status:
    """Where one page stands against its counterpart in the other language."""

    page: str  # path under docs/<lang>/, e.g. 'architecture.md'
    lang: str
    other: str
    revision: str | None
    state: str
    commits: tuple[str, ...] = ()  # '<hash> <date> <subject>' of the counterpart since `revision`

    @property
    def path(self) -> str:
        return f"docs/{self.lang}/{self.page}"

    @property
    def counterpart(self) -> str:
        return f"docs/{self.other}/{self.page}"


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter as a mapping, the rest of the page) of a Markdown page."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group(1) or "") or {}
    return (meta if isinstance(meta, dict) else {}), text[match.end():]


def with_revision(text: str, revision: str) -> str:
    """The page with `synced_with` set to `revision` (front matter created or updated in place)."""
    line = f'{KEY}: "{revision}"'
    match = _FRONT_MATTER.match(text)
    if not match:
        return f"---\n{line}\n---\n\n{text}"
    block = match.group(1) or ""
    if re.search(rf"^{KEY}:.*$", block, flags=re.MULTILINE):
        block = re.sub(rf"^{KEY}:.*$", line, block, count=1, flags=re.MULTILINE)
    else:
        block += line + "\n"
    return f"---\n{block}---\n" + text[match.end():]


def _body(text: str | None) -> str | None:
    return None if text is None else split_front_matter(text)[1].strip()


class Git:
    """The few git questions freshness asks, run in the repository at `root`."""

    def __init__(self, root: Path) -> None:
        if shutil.which("git") is None:
            raise GitUnavailable("git is not installed, so translation freshness cannot be checked")
        self.root = root
        if self._run("rev-parse", "--is-inside-work-tree", check=False) != "true":
            raise GitUnavailable(f"{root} is not inside a git work tree (a copy without .git?); "
                                 "translation freshness needs the history")

    def _run(self, *args: str, check: bool = True) -> str | None:
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True)
        if result.returncode != 0:
            if check:
                raise GitUnavailable(f"git {' '.join(args)} failed: {result.stderr.decode(errors='replace').strip()}")
            return None
        return _text(result.stdout)

    def _batch(self, names: list[str], check_only: bool) -> list[bytes | None]:
        """What `git cat-file --batch` (or `--batch-check`) answers for each object name: the object's
        content (its header line with `check_only`), or None when it does not name one object."""
        if not names:
            return []
        mode = "--batch-check" if check_only else "--batch"
        result = subprocess.run(["git", "-C", str(self.root), "cat-file", mode], capture_output=True,
                                input="".join(f"{name}\n" for name in names).encode())
        if result.returncode != 0:
            raise GitUnavailable(f"git cat-file {mode} failed: {result.stderr.decode(errors='replace').strip()}")
        out = result.stdout
        answers: list[bytes | None] = []
        at = 0
        for _ in names:
            end = out.index(b"\n", at)
            header, at = out[at:end], end + 1
            fields = header.split(b" ")
            if len(fields) != 3 or not fields[2].isdigit():  # "<name> missing", "<name> ambiguous"
                answers.append(None)
            elif check_only:
                answers.append(header)
            else:
                answers.append(out[at:at + int(fields[2])])
                at += int(fields[2]) + 1  # the content, then a newline
        return answers

    def commits(self, revisions: Iterable[str]) -> dict[str, str]:
        """The full hash of each revision that names a commit of this clone; the others are left out (one git
        process)."""
        asked = [r for r in dict.fromkeys(revisions) if REVISION.fullmatch(r)]
        found = dict(zip(asked, self._batch([f"{r}^{{commit}}" for r in asked], check_only=True)))
        return {r: header.split(b" ")[0].decode() for r, header in found.items() if header}

    def files(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """The text of each (commit, path relative to root), or None if it did not exist (one git process)."""
        wanted = list(dict.fromkeys(wanted))
        blobs = self._batch([f"{commit}:./{path}" for commit, path in wanted], check_only=False)
        return {key: None if blob is None else _text(blob) for key, blob in zip(wanted, blobs)}

    def show(self, revision: str, path: str) -> str | None:
        """The file at `path` (relative to root) as of `revision`, or None if it did not exist."""
        return self._run("show", f"{revision}:./{path}", check=False)

    def log(self, since: str, path: str) -> tuple[str, ...]:
        """'<hash> <date> <subject>' of each commit after `since` that changed the text of `path`
        (a commit that only records a synced revision in the front matter does not count)."""
        out = self._run("log", "--format=%H %h %cs %s", f"{since}..HEAD", "--", path) or ""
        commits = [line.split(" ", 1) for line in out.splitlines() if line]
        texts = self.files((revision, path) for full, _ in commits for revision in (full, f"{full}^"))
        return tuple(shown for full, shown in commits
                     if _body(texts[(full, path)]) != _body(texts[(f"{full}^", path)]))

    def last_changed(self, paths: Iterable[str]) -> dict[str, str]:
        """The date (YYYY-MM-DD, the committer's) of the last commit that changed each of `paths` (relative to
        root), as `git log -1 --format=%cs -- <path>` says; paths never committed are left out. One git process."""
        wanted = set(paths)
        if not wanted:
            return {}
        out = self._run("log", "--format=%x00%cs", "--name-only", "--no-renames", "-z", "--", *sorted(wanted),
                        check=False) or ""
        found: dict[str, str] = {}
        date = ""
        for field in out.split("\0"):
            field = field.strip("\n")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", field):
                date = field
            elif field in wanted and field not in found:
                found[field] = date
        return found

    def head(self) -> str:
        return self._run("rev-parse", "--short=12", "HEAD") or ""

    def current(self) -> str | None:
        """HEAD's full hash (None before the first commit)."""
        return self._run("rev-parse", "--verify", "--quiet", "HEAD", check=False)


def _text(output: bytes) -> str:
    """git's output as the old text-mode calls read it: universal newlines, stripped."""
    return output.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n").strip()


def pages(root: Path, every: Sequence[str] | None = None) -> list[str]:
    """Pages written in every language (paths under docs/<lang>/; `every`: the languages' codes, when known)."""
    found = [{p.relative_to(root / "docs" / lang).as_posix() for p in (root / "docs" / lang).rglob("*.md")}
             for lang in every or codes(root)]
    return sorted(set.intersection(*found))


_known: dict[Path, tuple[tuple[object, ...], list[Status]]] = {}


def statuses(root: Path, langs: tuple[str, ...] | None = None, every: Sequence[str] | None = None) -> list[Status]:
    """The status of every page in `langs` (default: every language; raises GitUnavailable without git or
    history). `every`: the codes of every language, when the caller has read them.

    Every page of every language is compared at once, with a few git processes whatever the number of pages;
    the answer is kept while HEAD and the pages' text stay the same (`serve` asks on every rebuild).
    """
    git, every = Git(root), every or codes(root)
    names = pages(root, every)
    texts = {(lang, page): (root / "docs" / lang / page).read_text(encoding="utf-8")
             for lang in every for page in names}
    key = (git.current(), tuple(sorted(texts.items())))
    if root not in _known or _known[root][0] != key:
        _known[root] = (key, _compare(git, texts, every))
    return [status for lang in langs or every for status in _known[root][1] if status.lang == lang]


def _compare(git: Git, texts: dict[tuple[str, str], str], every: Sequence[str]) -> list[Status]:
    """The status of each (language, page) of `texts` against its counterpart (the root's: the second language)."""
    counterpart = {lang: next(code for code in every if code != lang) for lang in every}
    revisions = {where: str(split_front_matter(text)[0].get(KEY) or "") for where, text in texts.items()}
    commits = git.commits([revision for revision in revisions.values() if revision])
    then = git.files((commits[revision], f"docs/{lang}/{page}")
                     for (_, page), revision in revisions.items() if revision in commits for lang in every)
    found = []
    for (lang, page), own_text in texts.items():
        other, revision = counterpart[lang], revisions[(lang, page)]
        if not revision:
            found.append(Status(page, lang, other, None, "unsynced"))
        elif revision not in commits:
            found.append(Status(page, lang, other, revision, "unknown-revision"))
        elif _body(then[(commits[revision], f"docs/{other}/{page}")]) == _body(texts[(other, page)]):
            found.append(Status(page, lang, other, revision, "current"))
        else:
            own_changed = _body(then[(commits[revision], f"docs/{lang}/{page}")]) != _body(own_text)
            found.append(Status(page, lang, other, revision, "both-changed" if own_changed else "behind",
                                git.log(revision, f"docs/{other}/{page}")))
    return found


def sync(root: Path, names: list[str]) -> tuple[str, list[str], list[str]]:
    """Record HEAD as the synced revision of both languages of each page in `names`.

    Returns (revision, pages synced, problems). A page whose text is not committed in both languages is left
    alone with a problem naming it: the revision must contain the text it vouches for.
    """
    git = Git(root)
    revision = git.head()
    synced, problems = [], []
    for name in names:
        page = name if name.endswith(".md") else f"{name}.md"
        paths = [f"docs/{lang}/{page}" for lang in codes(root)]
        missing = [p for p in paths if not (root / p).is_file()]
        dirty = [p for p in paths if p not in missing
                 and _body(git.show("HEAD", p)) != _body((root / p).read_text(encoding="utf-8"))]
        if missing or dirty:
            problems += [f"{p}: no such page" for p in missing]
            problems += [f"{p}: has changes not committed yet; commit them, then sync" for p in dirty]
            continue
        for path in paths:
            file = root / path
            file.write_text(with_revision(file.read_text(encoding="utf-8"), revision), encoding="utf-8")
        synced.append(page)
    return revision, synced, problems
