"""Profile licgraph under the page load: py-spy samples the server while wrk drives it.

Uses the page benchmark's data set in a kept database (build it once with
`page_bench.py --reuse NAME`). Starts `licgraph serve` under the GC probe on core 0,
drives one of the page benchmark's requests with wrk at 32 connections from core 1 and,
during the same window, lets py-spy (also on core 1) sample the server at 100 Hz — Python
frames only, no idle samples, so shares are of the server's busy time. Prints the top
functions by own samples and by inclusive samples, the share per package, and the GC share
of the same window from the probe (py-spy without native frames charges a collection to
whichever Python line allocated when it started; --gc-off switches the collector off to
show the rest). --svg records a flame graph too, in a second window of the same load (two
py-spy processes can't sample one process at once).

    .venv/bin/python bench/profile_page.py --reuse licgraph_bench_page [--request page]
        [--seconds 30] [--svg profile.svg] [--gc-off]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import dataset
from databases import DEFAULT_POSTGRES_URL, PostgresDatabase
from loadgen import wrk
from page_queries import Case, cases
from report import machine, table
from servers import LOAD_CPU, SERVER_CPU, Server, pinned, running, start_licgraph, tool

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
ENTRY_CHAIN = 0.9
# Functions whose inclusive share says where a request's time goes; names as py-spy prints
# them. A name the code no longer has shows 0.0%: update the list with the code.
LANDMARKS = (
    ("GraphQL validation", "validate (graphql/validation/validate.py)"),
    ("token check", "authenticate (licgraph/services/tokens.py)"),
    ("field completion (graphql-core)", "Executor.complete_value (graphql/execution/executor.py)"),
    ("DataLoader batches", "dispatch_batch (strawberry/dataloader.py)"),
    ("SQLAlchemy execute", "AsyncConnection.execute (sqlalchemy/ext/asyncio/engine.py)"),
    (
        "request body parsing",
        "AsyncBaseHTTPView.parse_http_body (strawberry/http/async_base_view.py)",
    ),
    ("response JSON encoding", "BaseView.encode_json (strawberry/http/base.py)"),
)
PACKAGES = (
    "graphql",
    "strawberry",
    "sqlalchemy",
    "asyncpg",
    "licgraph",
    "starlette",
    "uvicorn",
    "structlog",
    "pydantic",
    "asyncio",
    "json",
)


def record(
    server: Server, case: Case, token: str, arguments: argparse.Namespace, output: Path
) -> None:
    """py-spy's samples of the server (raw collapsed stacks, or a flame graph for ``.svg``)
    while wrk drives ``case`` for the same number of seconds."""
    spy = tool("py-spy", "pip install py-spy into the virtualenv")
    command = [spy, "record", "--pid", str(server.pid), "--rate", "100", "--output", str(output)]
    command += ["--duration", str(round(arguments.seconds))]
    command += [] if output.suffix == ".svg" else ["--format", "raw"]
    recorder = subprocess.Popen(  # noqa: S603 - fixed arguments
        pinned(command, LOAD_CPU), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    load = wrk(
        server.url,
        case.body,
        authorization=f"Bearer {token}",
        connections=arguments.connections,
        seconds=arguments.seconds,
        cpu=LOAD_CPU,
    )
    _, errors = recorder.communicate(timeout=120)
    if recorder.returncode != 0:
        raise SystemExit(f"py-spy failed: {errors.decode(errors='replace')}")
    print(f"wrk: {load.rate:.1f} req/s, p50 {load.p50_ms:.0f} ms, p99 {load.p99_ms:.0f} ms")


@dataclass
class Samples:
    """py-spy's samples counted per function: where the thread was, and what it was under."""

    total: int = 0
    own: Counter[str] = field(default_factory=Counter)
    inclusive: Counter[str] = field(default_factory=Counter)
    packages: Counter[str] = field(default_factory=Counter)

    def share(self, count: int) -> str:
        return f"{count / self.total:.1%}"

    def top(self, counter: Counter[str], top: int) -> list[list[str]]:
        return [[name, self.share(count)] for name, count in counter.most_common(top)]


def read_samples(raw: Path) -> Samples:
    """Count py-spy's raw output: one ``frame;frame;... count`` line per distinct stack."""
    samples = Samples()
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_function(frame) for frame in stack.split(";")]
        samples.total += count
        samples.own[frames[-1]] += count
        samples.packages[_package(frames[-1])] += count
        for frame in set(frames):
            samples.inclusive[frame] += count
    return samples


def summarise(samples: Samples, top: int) -> str:
    """Tables of the top functions (own and inclusive samples), packages and landmarks."""
    # Frames on (nearly) every stack are the entry chain (CLI, uvicorn, the event loop).
    below_loop = Counter(
        {name: n for name, n in samples.inclusive.items() if n < ENTRY_CHAIN * samples.total}
    )
    landmarks = [[label, name, samples.share(samples.inclusive[name])] for label, name in LANDMARKS]
    return "\n\n".join(
        [
            f"{samples.total:,} samples",
            table(["function (own samples)", "share"], samples.top(samples.own, top)),
            table(
                ["function (inclusive samples, below the event loop)", "share"],
                samples.top(below_loop, top),
            ),
            table(["package of the running frame", "share"], samples.top(samples.packages, top)),
            table(["landmark (inclusive samples)", "function", "share"], landmarks),
        ]
    )


def _function(frame: str) -> str:
    """``function (package/module.py)`` without the line number."""
    match = _FRAME.match(frame)
    return f"{match['function']} ({match['file']})" if match else frame


def _package(function: str) -> str:
    for package in PACKAGES:
        if f"({package}/" in function or f"({package}." in function:
            return package
    return "other"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--reuse", metavar="DATABASE", required=True, help="the page data set")
    parser.add_argument("--request", choices=("page", "manage", "typename"), default="page")
    parser.add_argument("--seconds", type=float, default=30, help="length of the profile")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--top", type=int, default=25, help="functions listed")
    parser.add_argument("--svg", help="also write py-spy's flame graph here")
    parser.add_argument("--raw", help="keep py-spy's collapsed stacks here")
    parser.add_argument(
        "--gc-off",
        action="store_true",
        help="run the server with the cyclic GC disabled, to see where the rest of the CPU goes",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="its server")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    print(machine(), flush=True)
    database = PostgresDatabase(arguments.postgres_url, arguments.reuse)
    token = dataset.admin_token(database.licgraph_url())
    with tempfile.TemporaryDirectory(prefix="licgraph-profile-") as folder:
        raw = Path(arguments.raw).resolve() if arguments.raw else Path(folder) / "profile.txt"
        server = start_licgraph(
            database.licgraph_url(),
            token,
            log_dir=Path(folder),
            cpu=SERVER_CPU,
            gc_enabled=not arguments.gc_off,
        )
        with running(server):
            api = dataset.Api(server.url, token)
            case = next(
                c
                for c in cases(api, dataset.tenant(api), postgraphile=False)
                if c.request == arguments.request
            )
            api.close()
            gc_before, cpu_before = server.gc_totals() or {}, server.cpu_seconds()
            record(server, case, token, arguments, raw)
            gc_after, cpu = server.gc_totals() or {}, server.cpu_seconds() - cpu_before
            gc_seconds = gc_after.get("gc_seconds", 0.0) - gc_before.get("gc_seconds", 0.0)
            print(f"GC: {gc_seconds:.1f} s of {cpu:.1f} s server CPU ({gc_seconds / cpu:.0%})")
            print(summarise(read_samples(raw), arguments.top))
            if arguments.svg:
                record(server, case, token, arguments, Path(arguments.svg).resolve())
                print(f"flame graph (a second window of the same load): {arguments.svg}")


if __name__ == "__main__":
    main()
