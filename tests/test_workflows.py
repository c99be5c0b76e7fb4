"""The CI workflows stay safe: pull requests get a read-only token and no secrets, the preview comes
only from a green build, and only `main` is deployed, by the one job that may write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parent.parent / ".github" / "workflows").glob("*.y*ml"))
MAIN_ONLY = "github.ref == 'refs/heads/main'"
ON_FAILURE_TOO = ("always()", "failure()", "cancelled()", "!success()")


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` events as a mapping (YAML 1.1 reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    return on if isinstance(on, dict) else dict.fromkeys(on)


def writes(permissions: Any) -> bool:
    """Whether a `permissions:` value grants any write access."""
    if isinstance(permissions, str):
        return permissions == "write-all"
    return any(level == "write" for level in (permissions or {}).values())


def steps_using(workflow: dict[str, Any], action: str) -> list[tuple[dict[str, Any], int, dict[str, Any]]]:
    """(job, index of the step, step) for every step that uses `action` (any version)."""
    return [(job, index, step) for job in workflow["jobs"].values()
            for index, step in enumerate(job.get("steps", [])) if step.get("uses", "").startswith(action + "@")]


def by_name(paths: list[Path]) -> list[Any]:
    return [pytest.param(path, id=path.name) for path in paths]


PULL_REQUEST_WORKFLOWS = [path for path in WORKFLOWS if "pull_request" in triggers(load(path))]


def test_the_workflows_are_found() -> None:
    assert {"ci.yml", "deploy.yml"} <= {path.name for path in WORKFLOWS}
    assert "ci.yml" in {path.name for path in PULL_REQUEST_WORKFLOWS}


@pytest.mark.parametrize("path", by_name(WORKFLOWS))
def test_no_pull_request_target(path: Path) -> None:
    """`pull_request_target` runs a pull request's code with the base repository's token and secrets."""
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", by_name(WORKFLOWS))
def test_the_token_is_read_only_unless_a_job_needs_more(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, "without it the token gets the repository's default, maybe write"
    assert not writes(workflow["permissions"])


@pytest.mark.parametrize("path", by_name(PULL_REQUEST_WORKFLOWS))
def test_pull_requests_get_read_only_permissions_and_no_secrets(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert not [name for name, job in workflow["jobs"].items() if "permissions" in job]
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text and "github.token" not in text
    for _, _, step in steps_using(workflow, "actions/checkout"):
        assert step.get("with", {}).get("persist-credentials") is False, "the token stays in .git/config"


def test_the_preview_is_uploaded_only_from_a_green_build() -> None:
    workflow = load(next(path for path in WORKFLOWS if path.name == "ci.yml"))
    previews = [found for found in steps_using(workflow, "actions/upload-artifact")
                if found[2]["with"]["path"].rstrip("/") == "site"]
    assert previews, "no preview upload found"
    for job, index, _ in previews:
        assert not job.get("continue-on-error")
        for step in job["steps"][:index + 1]:  # every step up to the upload must have succeeded
            condition = str(step.get("if", ""))
            assert not any(word in condition for word in ON_FAILURE_TOO), step
            assert not step.get("continue-on-error"), step


def test_only_main_is_deployed_by_the_one_job_that_writes() -> None:
    workflow = load(next(path for path in WORKFLOWS if path.name == "deploy.yml"))
    events = triggers(workflow)
    assert set(events) <= {"push", "workflow_dispatch"}
    assert events["push"] == {"branches": ["main"]}
    jobs = workflow["jobs"]
    assert all(MAIN_ONLY in str(job.get("if", "")) for job in jobs.values())
    deployers = {name for name, job in jobs.items()
                 if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job.get("steps", []))}
    writers = {name for name, job in jobs.items() if writes(job.get("permissions"))}
    assert deployers and writers == deployers
    for name in deployers:
        assert jobs[name]["permissions"] == {"pages": "write", "id-token": "write"}


# The only workflows with a job that may write, and why; each has a test of its exact permissions.
WRITERS = {"deploy.yml": "deploys main to GitHub Pages (test_only_main_is_deployed_by_the_one_job_that_writes)",
           "issue-to-pr.yml": "turns a data issue into a pull request (test_entry_from_issue.py checks it)"}


@pytest.mark.parametrize("path", by_name([path for path in WORKFLOWS if path.name not in WRITERS]))
def test_no_other_workflow_writes(path: Path) -> None:
    assert not [name for name, job in load(path)["jobs"].items() if writes(job.get("permissions"))]
