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
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from vlm_survey.languages import codes

KEY = "synced_with"
STATES = ("current", "behind", "both-changed", "unsynced", "unknown-revision")
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
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True)
        if result.returncode != 0:
            if check:
                raise GitUnavailable(f"git {' '.join(args)} failed: {result.stderr.strip()}")
            return None
        return result.stdout.strip()

    def commit(self, revision: str) -> str | None:
        """The full hash of `revision`, or None when this clone does not have it."""
        return self._run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)

    def show(self, revision: str, path: str) -> str | None:
        """The file at `path` (relative to root) as of `revision`, or None if it did not exist."""
        return self._run("show", f"{revision}:./{path}", check=False)

    def log(self, since: str, path: str) -> tuple[str, ...]:
        """'<hash> <date> <subject>' of each commit after `since` that changed the text of `path`
        (a commit that only records a synced revision in the front matter does not count)."""
        out = self._run("log", "--format=%H %h %cs %s", f"{since}..HEAD", "--", path) or ""
        commits = [line.split(" ", 1) for line in out.splitlines() if line]
        return tuple(shown for full, shown in commits
                     if _body(self.show(full, path)) != _body(self.show(f"{full}^", path)))

    def head(self) -> str:
        return self._run("rev-parse", "--short=12", "HEAD") or ""


def pages(root: Path) -> list[str]:
    """Pages written in every language (paths under docs/<lang>/)."""
    found = [{p.relative_to(root / "docs" / lang).as_posix() for p in (root / "docs" / lang).rglob("*.md")}
             for lang in codes(root)]
    return sorted(set.intersection(*found))


def page_status(git: Git, root: Path, page: str, lang: str, other: str) -> Status:
    """Compare one page with its counterpart in the language `other` since the revision it records."""
    own_text = (root / "docs" / lang / page).read_text(encoding="utf-8")
    revision = split_front_matter(own_text)[0].get(KEY)
    if not revision:
        return Status(page, lang, other, None, "unsynced")
    revision = str(revision)
    if git.commit(revision) is None:
        return Status(page, lang, other, revision, "unknown-revision")
    own_path, other_path = f"docs/{lang}/{page}", f"docs/{other}/{page}"
    other_now = _body((root / other_path).read_text(encoding="utf-8"))
    if _body(git.show(revision, other_path)) == other_now:
        return Status(page, lang, other, revision, "current")
    own_changed = _body(git.show(revision, own_path)) != _body(own_text)
    return Status(page, lang, other, revision, "both-changed" if own_changed else "behind",
                  git.log(revision, other_path))


def statuses(root: Path, langs: tuple[str, ...] | None = None) -> list[Status]:
    """The status of every page in `langs` (default: every language; raises GitUnavailable without git or
    history)."""
    git, names, every = Git(root), pages(root), codes(root)
    counterpart = {lang: next(code for code in every if code != lang) for lang in every}  # the root's: the second
    return [page_status(git, root, page, lang, counterpart[lang]) for lang in langs or every for page in names]


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
