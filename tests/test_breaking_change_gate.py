"""The breaking-change gate (tools/breaking-change-gate, graphql-inspector diff): a removed
field fails it unless the commit message marks the break intended; additions pass; with
nothing to compare with it passes and says why."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.node_tools import installed_tools

SCHEMA = Path(__file__).parents[1] / "schema.graphql"
REMOVED_FIELD = '  """The token\'s name."""\n  name: String!\n\n'  # Actor.name
MARKER = "[breaking-change]"


@pytest.fixture(scope="module")
def gate() -> str:
    return str(installed_tools() / "breaking-change-gate")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def without_a_field(tmp_path: Path) -> Path:
    schema = SCHEMA.read_text(encoding="utf-8")
    assert REMOVED_FIELD in schema
    changed = tmp_path / "removed.graphql"
    changed.write_text(schema.replace(REMOVED_FIELD, "", 1), encoding="utf-8")
    return changed


@pytest.fixture
def with_a_new_field(tmp_path: Path) -> Path:
    schema = SCHEMA.read_text(encoding="utf-8")
    added = schema.replace("type Actor {\n", 'type Actor {\n  """New."""\n  nickname: String\n\n')
    changed = tmp_path / "added.graphql"
    changed.write_text(added, encoding="utf-8")
    return changed


def test_a_removed_field_fails_the_gate(gate: str, without_a_field: Path) -> None:
    done = run(gate, str(SCHEMA), str(without_a_field), "Tidy the actor")

    assert done.returncode == 1
    assert "Field name was removed from object type Actor" in done.stdout
    assert MARKER in done.stderr  # tells how to mark it intended


def test_the_marker_lets_an_intended_break_through(gate: str, without_a_field: Path) -> None:
    done = run(gate, str(SCHEMA), str(without_a_field), f"Drop Actor.name\n\n{MARKER}")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "marked intended" in done.stdout


def test_an_added_field_passes(gate: str, with_a_new_field: Path) -> None:
    done = run(gate, str(SCHEMA), str(with_a_new_field), "Add a nickname")

    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unreadable_schema_is_a_failure_not_a_break(gate: str, tmp_path: Path) -> None:
    done = run(gate, str(SCHEMA), str(tmp_path / "missing.graphql"), MARKER)

    assert done.returncode != 0
    assert "graphql-inspector failed" in done.stderr


def git(repo: Path, *args: str) -> None:
    subprocess.run(  # noqa: S603 - fixed git commands
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],  # noqa: S607
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit(repo: Path, schema: Path, message: str) -> None:
    (repo / "schema.graphql").write_text(schema.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "add", "schema.graphql")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def test_in_a_checkout_the_previous_commit_is_the_base(
    gate: str, without_a_field: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, SCHEMA, "First")

    first = run(gate, cwd=repo)
    commit(repo, without_a_field, "Drop a field")
    broken = run(gate, cwd=repo)
    commit(repo, without_a_field, "Nothing new")
    after = run(gate, cwd=repo)

    assert (first.returncode, "skipped" in first.stdout) == (0, True)
    assert broken.returncode == 1
    assert "Field name was removed" in broken.stdout
    assert after.returncode == 0, after.stdout + after.stderr


@pytest.fixture
def shallow_clone(without_a_field: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A one-commit clone of a history whose last commit drops a field; and its origin."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    commit(origin, SCHEMA, "First")
    commit(origin, without_a_field, "Drop a field")
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", "shallow")
    return tmp_path / "shallow", origin


def test_a_shallow_clone_is_deepened_to_find_its_base(
    gate: str, shallow_clone: tuple[Path, Path]
) -> None:
    clone, _ = shallow_clone

    done = run(gate, cwd=clone)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Field name was removed" in done.stdout


def test_a_shallow_clone_that_can_t_be_deepened_passes_and_says_so(
    gate: str, shallow_clone: tuple[Path, Path]
) -> None:
    clone, origin = shallow_clone
    shutil.rmtree(origin)

    done = run(gate, cwd=clone)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped: no commit HEAD^" in done.stdout
