"""The app build committed under src/licgraph/static/app/ is what frontend/ builds, exactly."""

from __future__ import annotations

from tests.frontend_tools import installed_frontend, run_in_frontend


def test_the_committed_app_build_matches_its_sources() -> None:
    frontend = installed_frontend()

    done = run_in_frontend(str(frontend / "check-build"))

    assert "The committed app build matches frontend/." in done.stdout


def test_the_app_s_rules_pass_their_unit_tests() -> None:
    installed_frontend()

    done = run_in_frontend(
        "node",
        "--test",
        "tests/changes.test.mjs",
        "tests/selection.test.mjs",
        "tests/words.test.mjs",
    )

    assert "# fail 0" in done.stdout, done.stdout
    assert "# pass 0" not in done.stdout, done.stdout
