"""Which translations are behind? Compare each page with its counterpart since their last sync.

    python scripts/translation_status.py                 # report; exit 1 if a page needs attention
    python scripts/translation_status.py sync vit index  # record HEAD as synced for both languages
    python scripts/translation_status.py sync --all

A page records `synced_with: "<commit>"` in its front matter. It is *behind* when the other
language's page has changed since that commit and it has not. After bringing both languages
in line, commit, then run `sync` for the page and commit the new revision it writes.
Exit codes: 0 all current, 1 something to do, 2 git or history unavailable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vlm_survey.freshness import GitUnavailable, pages, statuses, sync

ROOT = Path(__file__).resolve().parent.parent

ADVICE = {
    "behind": "{counterpart} changed since {revision}; update this page, commit, then sync it",
    "both-changed": "both languages changed since {revision}; check they match, then sync",
    "unsynced": "records no synced_with revision; once both languages match, sync it",
    "unknown-revision": "revision {revision} is not in this clone (shallow? try: git fetch --unshallow)",
}


def report(root: Path) -> int:
    """Print one line per page that needs attention and a summary; 1 if any does."""
    found = statuses(root)
    for status in found:
        if status.state != "current":
            print(f"{status.path}: {status.state}: " + ADVICE[status.state].format(
                counterpart=status.counterpart, revision=status.revision))
            for commit in status.commits:
                print(f"    {commit}")
    counts = {state: sum(s.state == state for s in found) for state in ADVICE}
    print(f"{len(found)} pages: {len(found) - sum(counts.values())} current, "
          + ", ".join(f"{n} {state}" for state, n in counts.items()))
    return 1 if any(counts.values()) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this repository)")
    commands = parser.add_subparsers(dest="command")
    sync_cmd = commands.add_parser("sync", help="record HEAD as the synced revision of pages in both languages")
    sync_cmd.add_argument("pages", nargs="*", help="page names, e.g. vit or architecture.md")
    sync_cmd.add_argument("--all", action="store_true", help="every page")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command != "sync":
            return report(root)
        names = pages(root) if args.all else args.pages
        if not names:
            parser.error("name the pages to sync, or pass --all")
        revision, synced, problems = sync(root, names)
    except GitUnavailable as exc:
        print(f"translation status: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"recorded synced_with: {revision} in both languages of {len(synced)} of {len(names)} page(s)"
          + ("; commit the change" if synced else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
