"""The lock files pin what pyproject.toml asks for, and agree with each other.

`make lock` writes them; this fails when pyproject.toml changed without it (a new or
tightened requirement the lock does not satisfy), so an install never falls back to
whatever the index serves that day.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def requirements(*, extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(line) for line in listed]


def unsatisfied(wanted: list[Requirement], pinned: dict[str, str]) -> list[str]:
    problems = []
    for requirement in wanted:
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or version not in requirement.specifier:
            problems.append(f"{requirement} (locked: {version or 'nothing'})")
    return problems


def test_the_runtime_lock_pins_every_dependency() -> None:
    assert unsatisfied(requirements(), pins("main.txt")) == [], "run `make lock`"


def test_the_dev_lock_pins_every_dependency_and_dev_tool() -> None:
    wanted = requirements() + requirements(extra="dev")
    assert unsatisfied(wanted, pins("dev.txt")) == [], "run `make lock`"


def test_development_runs_the_versions_production_runs() -> None:
    main, dev = pins("main.txt"), pins("dev.txt")
    assert {name: dev.get(name) for name in main} == main


def test_every_pin_carries_hashes() -> None:
    for lock in ("main.txt", "dev.txt"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        assert text.count("--hash=sha256:") >= len(pins(lock)), lock
