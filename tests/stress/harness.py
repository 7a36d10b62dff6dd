"""The stress harness: real `licgraph serve` processes on one database, a world worth fighting
over, and a driver that fires recorded Saves at the servers over HTTP.

`bench/stress.py` uses the same pieces with bigger numbers.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from licgraph.db.engine import Database
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.e2e.servers import LICGRAPH, Server, free_port, wait_until_healthy
from tests.stress.checks import SaveRecord

# The per-token rate limit (20/s by default) would turn this load into 429s: it has tests of
# its own; these measure Saves.
FLEET_SETTINGS = {"LICGRAPH_RATE_LIMIT_PER_SECOND": "0"}

# --- server processes ----------------------------------------------------------------------


@dataclass
class ServerProcess:
    """One `licgraph serve` on its own port; it can be killed and started again."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spawn(self) -> None:
        """Start the process (without waiting for it to listen)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own console script
                [LICGRAPH, "serve", "--port", str(self.port), "--workers", "1"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self) -> None:
        assert self.process is not None
        wait_until_healthy(self.url, self.process, timeout=60)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback by the server, open transactions cut off."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Fleet:
    """Several servers sharing one database, and the CLI pointed at that database."""

    database_url: str
    servers: list[ServerProcess]

    @classmethod
    @contextmanager
    def running(cls, database_url: str, count: int, log_dir: Path) -> Iterator[Fleet]:
        """Start ``count`` servers at once (they migrate concurrently) and stop them after."""
        env = {**os.environ, **FLEET_SETTINGS, "LICGRAPH_DATABASE_URL": database_url}
        servers = [ServerProcess(env, log_dir / f"server-{n}.log") for n in range(count)]
        fleet = cls(database_url, servers)
        try:
            for server in servers:
                server.spawn()
            for server in servers:
                server.wait_ready()
            yield fleet
        finally:
            for server in servers:
                server.stop()

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    @property
    def cli(self) -> Server:
        """`Server.cli` / `Server.token` run the `licgraph` command on this database."""
        return Server(url=self.servers[0].url, env=self.servers[0].env)

    def log_problems(self) -> list[str]:
        """The exceptions and masked errors any server logged."""
        return [
            f"{server.log_path.name}: {problem}"
            for server in self.servers
            for problem in logged_errors(server.log_path)
        ]


def logged_errors(log_path: Path) -> list[str]:
    """Each traceback's final line (the exception) and each masked error, from a server log."""
    errors, in_traceback = [], False
    for line in log_path.read_text(errors="replace").splitlines():
        if line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace() and not line.startswith("During"):
            in_traceback = line.startswith("The above exception")
            if not in_traceback:
                errors.append(line.strip()[:300])
        elif "unexpected error" in line:
            errors.append(line.strip()[:300])
    return errors


# --- the requests ----------------------------------------------------------------------------

PAYLOAD = """
fragment Payload on LicenseUpdatePayload {
  applied dryRun succeededCount failedCount
  products { id totalLicenses assignedLicenses availableLicenses }
  results {
    userId status
    licenses { product { id } disabledServicePlans { id } assignedAt }
    errors { code ... on InsufficientLicensesError { requested available } }
  }
}"""
_INPUTS = {
    "assignLicenses": "AssignLicensesInput",
    "revokeLicenses": "RevokeLicensesInput",
    "updateLicenses": "UpdateLicensesInput",
}
MUTATIONS = {
    operation: f"mutation ($input: {input_type}!) {{ {operation}(input: $input) {{ ...Payload }} }}"
    + PAYLOAD
    for operation, input_type in _INPUTS.items()
}


@dataclass(frozen=True)
class SaveSpec:
    """One Save to send: the mutation, its input, and which caller sends it."""

    operation: str
    input: dict[str, Any]
    user_ids: tuple[int, ...]
    caller: int = 0

    @property
    def key(self) -> str | None:
        key: str | None = self.input.get("idempotencyKey")
        return key

    def body(self) -> dict[str, Any]:
        return {"query": MUTATIONS[self.operation], "variables": {"input": self.input}}

    def headers(self, token: str, request_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "X-Request-Id": request_id}

    def record(self, request_id: str) -> SaveRecord:
        return SaveRecord(request_id, self.operation, self.user_ids, group=self.key or "")


async def drive(
    specs: Sequence[SaveSpec],
    *,
    urls: Sequence[str],
    tokens: Sequence[str],
    concurrency: int,
    tag: str,
) -> list[SaveRecord]:
    """Send every spec (keyed ones three times: two racing twins, then a late retry),
    ``concurrency`` requests in flight, round-robin over ``urls``; record every answer."""
    records: list[SaveRecord] = []
    numbers = itertools.count()
    in_flight = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def send(spec: SaveSpec) -> None:
            number = next(numbers)
            record = spec.record(f"{tag}-{number}")
            records.append(record)
            async with in_flight:
                await _post(client, urls[number % len(urls)], tokens[spec.caller], spec, record)

        async def job(spec: SaveSpec) -> None:
            if spec.key is None:
                await send(spec)
                return
            await asyncio.gather(send(spec), send(spec))
            await send(spec)

        await asyncio.gather(*(job(spec) for spec in specs))
    return records


async def _post(
    client: httpx.AsyncClient, url: str, token: str, spec: SaveSpec, record: SaveRecord
) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(
            f"{url}/graphql", json=spec.body(), headers=spec.headers(token, record.request_id)
        )
    except httpx.HTTPError as error:
        record.transport_error = repr(error)
    else:
        record.status_code = response.status_code
        try:
            record.body = response.json()
        except ValueError:
            record.body = response.text
    record.seconds = time.perf_counter() - started


# --- the contested world -----------------------------------------------------------------


@dataclass(frozen=True)
class StressWorld:
    """One customer, a pool of users, and products they fight over.

    ``scarce`` has 7 seats; ``e3``/``e5`` exclude each other; ``addon`` needs one of them
    and is unavailable in CN; ``churn`` has plans (Teams needs Exchange and SharePoint).
    Some users have no usage location, some are in CN.
    """

    customer: int
    users: tuple[int, ...]
    scarce: int
    e3: int
    e5: int
    addon: int
    churn: int
    plans: tuple[int, int, int]  # exchange, sharepoint, teams (of ``churn``)

    def gid(self, type_name: str, pk: int) -> str:
        return to_global_id(type_name, pk)


async def build_stress_world(database: Database, *, users: int = 80) -> StressWorld:
    """Seed the contested world with the factories; some licenses are held from the start."""
    customer = await make.make_customer(database, "Stress Co", "stress.example.com")
    scarce = await make.make_product(database, customer, "Scarce Suite", total=7)
    e3 = await make.make_product(database, customer, "Microsoft 365 E3", total=30)
    e5 = await make.make_product(database, customer, "Microsoft 365 E5", total=30)
    addon = await make.make_product(database, customer, "Copilot", total=25)
    churn = await make.make_product(database, customer, "Churn Plan", total=40)
    exchange = await make.make_plan(database, churn, "Exchange")
    sharepoint = await make.make_plan(database, churn, "SharePoint")
    teams = await make.make_plan(database, churn, "Teams", requires=(exchange, sharepoint))
    await make.conflict(database, e3, e5)
    await make.require(database, addon, e3, e5)
    await make.unavailable_in(database, addon, "CN")
    # Every fifth user is in CN (no add-on there), has no usage location, or is abroad.
    locations = ["US" if n % 5 else (None, "CN", "GB", "FR")[n // 5 % 4] for n in range(users)]
    user_ids = [
        await make.make_user(database, customer, f"Stress User {n:03}", location)
        for n, location in enumerate(locations)
    ]
    located = [user for user, location in zip(user_ids, locations, strict=True) if location]
    for n, user in enumerate(located[1::7]):
        await make.assign(database, user, e3 if n % 2 else e5)
        if n < 3:
            await make.assign(database, user, scarce)
        await make.assign(database, user, churn, disabled=(teams,) if n % 3 else ())
    return StressWorld(
        customer, tuple(user_ids), scarce, e3, e5, addon, churn, (exchange, sharepoint, teams)
    )


Change = tuple[str, dict[str, Any], list[int]]
"""A mutation, its input without customer and users, and the users it is for."""

Builder = Callable[[random.Random, StressWorld], Change]


def _pick(rng: random.Random, world: StressWorld, low: int, high: int) -> list[int]:
    return rng.sample(world.users, rng.randint(low, high))


def _license(world: StressWorld, product: int, disabled: Sequence[int] = ()) -> dict[str, Any]:
    return {
        "productId": world.gid("Product", product),
        "disabledServicePlanIds": [world.gid("ServicePlan", plan) for plan in disabled],
    }


def _products(world: StressWorld, *products: int) -> list[str]:
    return [world.gid("Product", product) for product in products]


def _grab_scarce(rng: random.Random, world: StressWorld) -> Change:
    return "assignLicenses", {"licenses": [_license(world, world.scarce)]}, _pick(rng, world, 1, 4)


def _release_scarce(rng: random.Random, world: StressWorld) -> Change:
    return "revokeLicenses", {"productIds": _products(world, world.scarce)}, _pick(rng, world, 1, 4)


def _give_exclusive(rng: random.Random, world: StressWorld) -> Change:
    product = rng.choice((world.e3, world.e5))
    return "assignLicenses", {"licenses": [_license(world, product)]}, _pick(rng, world, 3, 10)


def _switch(rng: random.Random, world: StressWorld) -> Change:
    give, take = rng.sample((world.e3, world.e5), 2)
    change = {"assign": [_license(world, give)], "revoke": _products(world, take)}
    return "updateLicenses", change, _pick(rng, world, 2, 8)


def _add_on(rng: random.Random, world: StressWorld) -> Change:
    return "assignLicenses", {"licenses": [_license(world, world.addon)]}, _pick(rng, world, 1, 5)


def _drop_bases(rng: random.Random, world: StressWorld) -> Change:
    products = (world.e3, world.e5, world.addon)[: rng.choice((2, 3))]
    return "revokeLicenses", {"productIds": _products(world, *products)}, _pick(rng, world, 1, 5)


def _churn(rng: random.Random, world: StressWorld) -> Change:
    exchange, sharepoint, teams = world.plans
    users = _pick(rng, world, 2, 8)
    if rng.random() < 0.35:
        return "updateLicenses", {"revoke": _products(world, world.churn)}, users
    # Disabling Exchange while Teams stays on breaks a plan dependency: those saves fail.
    disabled = rng.choice([(), (teams,), (sharepoint, teams), (exchange,)])
    return "updateLicenses", {"assign": [_license(world, world.churn, disabled)]}, users


def _mixed(rng: random.Random, world: StressWorld) -> Change:
    change = {
        "assign": [_license(world, world.scarce), _license(world, world.churn)],
        "revoke": _products(world, world.e5),
    }
    return "updateLicenses", change, _pick(rng, world, 2, 6)


SAVE_MIX: tuple[tuple[int, Builder], ...] = (
    (3, _grab_scarce),
    (3, _release_scarce),
    (4, _give_exclusive),
    (3, _switch),
    (2, _add_on),
    (2, _drop_bases),
    (3, _churn),
    (1, _mixed),
)


def stress_saves(
    world: StressWorld, *, requests: int, rng: random.Random, callers: int
) -> list[SaveSpec]:
    """Saves amounting to about ``requests`` HTTP requests (a keyed save is sent three times).

    A quarter are atomic, one in ten carries an idempotency key.
    """
    weights, builders = zip(*SAVE_MIX, strict=True)
    specs: list[SaveSpec] = []
    sent = 0
    while sent < requests:
        operation, change, users = rng.choices(builders, weights)[0](rng, world)
        keyed = rng.random() < 0.1
        number = len(specs)
        payload = {
            "customerId": world.gid("Customer", world.customer),
            "userIds": [world.gid("User", user) for user in users],
            **change,
            "atomic": rng.random() < 0.25,
            **({"idempotencyKey": f"key-{number}"} if keyed else {}),
        }
        specs.append(SaveSpec(operation, payload, tuple(users), caller=number % callers))
        sent += 3 if keyed else 1
    return specs
