"""`licgraph worker`: a process that works license jobs and serves nothing."""

# ruff: noqa: PLC0415 - the runner's imports are paid by this command only

from __future__ import annotations

import typer

from licgraph.cli.database import migrate_when_reachable
from licgraph.cli.groups import app
from licgraph.cli.runtime import settings_from, with_database
from licgraph.db.engine import Database


@app.command("worker")
def worker_command() -> None:
    """Migrate the database, then work license jobs until stopped (Ctrl-C or SIGTERM)."""
    settings = settings_from()
    migrate_when_reachable(settings)

    async def work(database: Database) -> None:
        from licgraph.services.job_runner import JobRunner
        from licgraph.services.live import ChangeFeed

        feed = ChangeFeed(database, poll_seconds=settings.subscription_poll_seconds)
        await feed.start()  # on PostgreSQL: a started job wakes this worker at once
        runner = JobRunner.from_settings(database, settings, feed)
        typer.echo(f"licgraph worker {runner.owner}: working license jobs", err=True)
        try:
            await runner.run_forever()
        finally:
            await feed.stop()

    try:
        with_database(settings, work)
    except KeyboardInterrupt:  # Ctrl-C: a chunk in flight rolls back whole and resumes later
        typer.echo("licgraph worker: stopped", err=True)
