"""The home page's "last updated" line: when the content (docs/ or data/) last changed in git.

The date is the committer date of the newest commit touching either folder, read at build time and written
the page language's way (vlm_survey.i18n.date_text). A copy without git history (a release tarball) has no date: the line is left out.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

CONTENT = ("docs", "data")  # what "the content" is, relative to the project


def content_date(project: Path) -> datetime.date | None:
    """The date of the newest commit of `project` that changed docs/ or data/, or None without git history."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%cs", "--", *CONTENT],
                            capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return datetime.date.fromisoformat(result.stdout.strip())
