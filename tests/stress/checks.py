"""Consistency checks after a stress run, read with SQL Core on a fresh engine in one snapshot.

Every check returns the problems it found (an empty list: it holds), so tests assert
``== []`` and the bench prints PASS or FAIL with the same code.

The change log is the witness: replaying ``license_event`` in id order from the state
before the run must rebuild ``license_assignment`` exactly. Id order is commit order for
any one user (and any one product), because a Save holds the row locks of its users and
products (PostgreSQL) or the whole database (SQLite) from before it plans until it commits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from licgraph.config import Settings
from licgraph.db.engine import create_database
from licgraph.db.tables import (
    license_assignment_table,
    license_event_table,
    product_table,
)
from licgraph.graphql.ids import pk_of
from tests.rule_breaches import Breach, read_breaches

Licenses = dict[int, tuple[int, ...]]
"""One user's licenses: product id -> sorted ids of the disabled service plans."""

Holdings = dict[int, Licenses]
"""Every user's licenses, by user id (users without any are left out)."""

LICENSE_ACTIONS = ("ASSIGNED", "REVOKED", "PLANS_CHANGED")


@dataclass(frozen=True, slots=True)
class Event:
    """One ``license_event`` row of a license change."""

    id: int
    request_id: str
    action: str
    user_id: int
    product_id: int
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The rows the checks need, all read in one transaction (one consistent snapshot)."""

    totals: dict[int, int]
    assigned: dict[int, int]
    rows_per_product: Counter[int]
    holdings: Holdings
    breaches: list[Breach]
    events: list[Event]

    @property
    def last_event_id(self) -> int:
        return self.events[-1].id if self.events else 0


async def read_snapshot(database_url: str) -> Snapshot:
    """Read products, assignments, rules and license events on a fresh engine, consistently."""
    database = create_database(Settings(database_url=database_url))
    try:
        async with database.connect() as connection:
            if not database.is_sqlite:  # SQLite's read transaction is one snapshot already
                await connection.execution_options(isolation_level="REPEATABLE READ")
            products = (await connection.execute(select(product_table))).all()
            assignments = (await connection.execute(select(license_assignment_table))).all()
            counted = await connection.execute(
                select(license_assignment_table.c.product_id, func.count()).group_by(
                    license_assignment_table.c.product_id
                )
            )
            breaches = await read_breaches(connection)
            events = await connection.execute(
                select(license_event_table)
                .where(license_event_table.c.action.in_(LICENSE_ACTIONS))
                .order_by(license_event_table.c.id)
            )
            event_rows = events.all()
    finally:
        await database.dispose()
    holdings: Holdings = defaultdict(dict)
    for row in assignments:
        holdings[row.user_id][row.product_id] = tuple(sorted(row.disabled_service_plan_ids))
    return Snapshot(
        totals={row.id: row.total_licenses for row in products},
        assigned={row.id: row.assigned_licenses for row in products},
        rows_per_product=Counter(dict(counted.all())),
        holdings=dict(holdings),
        breaches=breaches,
        events=[
            Event(row.id, row.request_id, row.action, row.user_id, row.product_id, row.details)
            for row in event_rows
        ],
    )


# --- what must hold at every commit --------------------------------------------------------


def seat_problems(snapshot: Snapshot) -> list[str]:
    """Each product's assigned count equals its assignment rows and stays within its total."""
    problems = []
    for product_id, total in sorted(snapshot.totals.items()):
        assigned = snapshot.assigned[product_id]
        rows = snapshot.rows_per_product.get(product_id, 0)
        if assigned != rows:
            problems.append(f"product {product_id}: assigned_licenses {assigned} != {rows} rows")
        if not 0 <= assigned <= total:
            problems.append(f"product {product_id}: assigned {assigned} outside 0..{total}")
    return problems


def rule_problems(snapshot: Snapshot) -> list[str]:
    """No user's licenses break a licensing rule, as the domain's own rules judge them."""
    return [f"user {breach.user_id}: {breach.error!r}" for breach in snapshot.breaches]


def shape_problems(
    snapshot: Snapshot, *, user_ids: Iterable[int], products: set[int], allowed: set[frozenset[int]]
) -> list[str]:
    """Each user holds, of ``products``, exactly one of the ``allowed`` combinations."""
    problems = []
    for user_id in user_ids:
        held = frozenset(snapshot.holdings.get(user_id, {}).keys() & products)
        if held not in allowed:
            problems.append(f"user {user_id} is half-changed: holds {sorted(held)}")
    return problems


def invariant_problems(snapshot: Snapshot) -> list[str]:
    """Seats and every licensing rule, together."""
    return [*seat_problems(snapshot), *rule_problems(snapshot)]


# --- the change log against the rows --------------------------------------------------------


@dataclass
class Replay:
    """The change log applied in id order to the state before the run."""

    holdings: Holdings
    counts: Counter[int]
    problems: list[str] = field(default_factory=list)
    # (request id, user id) -> the user's licenses right after that request's changes.
    after: dict[tuple[str, int], Licenses] = field(default_factory=dict)
    # (request id, product id) -> the product's assigned count right after that request.
    counts_after: dict[tuple[str, int], int] = field(default_factory=dict)
    # Each user's successive licenses, one entry per request that changed them.
    history: dict[int, list[Licenses]] = field(default_factory=lambda: defaultdict(list))
    request_ids: set[str] = field(default_factory=set)
    last_event_id: int = 0
    _last_of_user: dict[int, str] = field(default_factory=dict)
    _last_of_product: dict[int, str] = field(default_factory=dict)

    @classmethod
    def starting_from(cls, snapshot: Snapshot) -> Replay:
        """A replay whose starting point is ``snapshot`` (taken before the run)."""
        holdings = {user: dict(licenses) for user, licenses in snapshot.holdings.items()}
        counts = Counter(snapshot.rows_per_product)
        return cls(holdings=holdings, counts=counts, last_event_id=snapshot.last_event_id)

    def licenses_of(self, user_id: int) -> Licenses:
        return self.holdings.get(user_id, {})

    def apply(self, events: Iterable[Event]) -> None:
        """Apply ``events`` (in id order), noting any that could not have happened."""
        for event in events:
            self._track_order(event)
            self._apply(event)
            self.request_ids.add(event.request_id)
            self.after[event.request_id, event.user_id] = dict(self.licenses_of(event.user_id))
            self.counts_after[event.request_id, event.product_id] = self.counts[event.product_id]
            self.history[event.user_id][-1] = dict(self.licenses_of(event.user_id))
            self.last_event_id = event.id

    def _track_order(self, event: Event) -> None:
        # A request's events for one user (or product) must not interleave with another
        # request's: that would mean two saves changed the user at once.
        user_id, product_id, request_id = event.user_id, event.product_id, event.request_id
        if self._last_of_user.get(user_id) != request_id:
            if (request_id, user_id) in self.after:
                self.problems.append(f"event {event.id}: request {request_id} interleaves")
            if not self.history[user_id]:
                self.history[user_id].append(dict(self.licenses_of(user_id)))
            self.history[user_id].append({})
        last_product = self._last_of_product.get(product_id)
        if last_product != request_id and (request_id, product_id) in self.counts_after:
            self.problems.append(f"event {event.id}: request {request_id} interleaves on product")
        self._last_of_user[user_id] = request_id
        self._last_of_product[product_id] = request_id

    def _apply(self, event: Event) -> None:
        licenses = self.holdings.setdefault(event.user_id, {})
        held = licenses.get(event.product_id)
        where = f"event {event.id} ({event.action} user {event.user_id} product {event.product_id})"
        if event.action == "ASSIGNED":
            if held is not None:
                self.problems.append(f"{where}: the user held it already")
            licenses[event.product_id] = tuple(event.details["disabledServicePlanIds"])
            self.counts[event.product_id] += held is None
        elif event.action == "REVOKED":
            if held is None:
                self.problems.append(f"{where}: the user did not hold it")
            self.counts[event.product_id] -= licenses.pop(event.product_id, None) is not None
        else:
            if held != tuple(event.details["disabledServicePlanIdsBefore"]):
                self.problems.append(f"{where}: plans before were {held}")
            licenses[event.product_id] = tuple(event.details["disabledServicePlanIdsAfter"])
        if not licenses:
            del self.holdings[event.user_id]

    def final_problems(self, snapshot: Snapshot) -> list[str]:
        """Differences between the replayed state and ``snapshot``'s rows."""
        problems = list(self.problems)
        for user_id in sorted(self.holdings.keys() | snapshot.holdings.keys()):
            replayed, stored = self.holdings.get(user_id, {}), snapshot.holdings.get(user_id, {})
            if replayed != stored:
                problems.append(f"user {user_id}: the log gives {replayed}, the rows {stored}")
        return problems


def replay_problems(before: Snapshot, after: Snapshot) -> tuple[Replay, list[str]]:
    """Replay ``after``'s events newer than ``before`` on ``before``; compare with ``after``."""
    replay = Replay.starting_from(before)
    replay.apply(event for event in after.events if event.id > replay.last_event_id)
    return replay, replay.final_problems(after)


# --- responses against the change log -------------------------------------------------------


@dataclass
class SaveRecord:
    """One HTTP request of a Save, and what came back (if anything did)."""

    request_id: str
    operation: str
    user_ids: tuple[int, ...]
    group: str = ""  # the idempotency key; requests sharing one are retries of each other
    status_code: int | None = None
    body: Any = None
    transport_error: str | None = None
    seconds: float = 0.0

    @property
    def error_codes(self) -> list[str]:
        """The codes of the top-level GraphQL errors."""
        if not isinstance(self.body, dict):
            return []
        return [
            (error.get("extensions") or {}).get("code", "")
            for error in self.body.get("errors") or []
        ]

    @property
    def payload(self) -> dict[str, Any] | None:
        """The LicenseUpdatePayload, when the request answered without top-level errors."""
        if not isinstance(self.body, dict) or self.body.get("errors"):
            return None
        data = self.body.get("data") or {}
        found = data.get(self.operation)
        return found if isinstance(found, dict) else None


@dataclass
class Tally:
    """What the responses said, counted."""

    requests: int = 0
    answered: int = 0
    applied: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    top_level: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)  # of answered requests, sorted

    @classmethod
    def of(cls, records: Sequence[SaveRecord]) -> Tally:
        tally = cls(requests=len(records))
        tally.seconds = sorted(r.seconds for r in records if r.status_code is not None)
        for record in records:
            tally.top_level.update(record.error_codes)
            payload = record.payload
            if payload is None:
                continue
            tally.answered += 1
            tally.applied += bool(payload["applied"])
            for result in payload["results"]:
                tally.statuses[result["status"]] += 1
                if result["status"] == "FAILED":
                    tally.failures[result["errors"][0]["code"]] += 1
        return tally

    def latency(self, share: float) -> float:
        """Seconds within which ``share`` of the answered requests were answered."""
        if not self.seconds:
            return 0.0
        return self.seconds[min(len(self.seconds) - 1, int(share * len(self.seconds)))]

    def describe(self) -> str:
        failures = ", ".join(f"{code} {n}" for code, n in sorted(self.failures.items()))
        return (
            f"users SUCCEEDED {self.statuses['SUCCEEDED']} UNCHANGED {self.statuses['UNCHANGED']}"
            f" FAILED {self.statuses['FAILED']} ({failures or 'none'});"
            f" conflicts {self.top_level['CONFLICT']}"
        )

    def describe_latency(self) -> str:
        shares = ((0.5, "p50"), (0.99, "p99"), (1.0, "max"))
        return "latency " + " ".join(
            f"{name} {self.latency(s) * 1000:.0f} ms" for s, name in shares
        )


def response_problems(
    records: Sequence[SaveRecord], replay: Replay, *, allow_lost: bool = False
) -> list[str]:
    """Every answer agrees with the change log; every logged request was one of ours.

    A SUCCEEDED user of an applied save has events of that request and the licenses the
    response reports; a FAILED or UNCHANGED user has none and a state they really had; a
    refused or failed request left no event. ``allow_lost``: requests may go unanswered
    (the server was killed); their events, if any, are checked by the replay only.
    """
    problems = [
        f"event of unknown request {request_id}"
        for request_id in sorted(replay.request_ids - {record.request_id for record in records})
    ]
    owners = _owners(records, replay, problems)
    for record in records:
        owner = owners.get(record.group, record.request_id) if record.group else record.request_id
        problems.extend(_record_problems(record, owner, replay, allow_lost=allow_lost))
    return problems


def _owners(records: Sequence[SaveRecord], replay: Replay, problems: list[str]) -> dict[str, str]:
    """For each idempotency key, the one request whose changes the log holds."""
    groups: dict[str, list[SaveRecord]] = defaultdict(list)
    for record in records:
        if record.group:
            groups[record.group].append(record)
    owners = {}
    for key, members in groups.items():
        logged = {m.request_id for m in members} & replay.request_ids
        if len(logged) > 1:
            problems.append(f"key {key}: applied by {len(logged)} requests {sorted(logged)}")
        if logged:
            owners[key] = min(logged)
        payloads = [m.body["data"] for m in members if m.payload is not None]
        if any(payload != payloads[0] for payload in payloads):
            problems.append(f"key {key}: retries returned different payloads")
    return owners


def _record_problems(
    record: SaveRecord, owner: str, replay: Replay, *, allow_lost: bool
) -> list[str]:
    where = f"request {record.request_id}"
    if record.status_code is None:
        return [] if allow_lost else [f"{where}: no answer ({record.transport_error})"]
    if record.status_code >= 500:
        return [f"{where}: HTTP {record.status_code}"]
    payload = record.payload
    if payload is None:
        problems = [f"{where}: top-level error {code}" for code in record.error_codes]
        problems = [problem for problem in problems if not problem.endswith("CONFLICT")]
        if owner == record.request_id and owner in replay.request_ids:
            problems.append(f"{where}: failed with {record.error_codes} yet left events")
        return problems or ([] if record.error_codes else [f"{where}: no payload"])
    return _payload_problems(payload, where, owner, replay)


def _payload_problems(
    payload: Mapping[str, Any], where: str, owner: str, replay: Replay
) -> list[str]:
    applied = bool(payload["applied"])
    problems = []
    if not applied and owner in replay.request_ids:
        problems.append(f"{where}: not applied, yet left events")
    for result in payload["results"]:
        user_id = pk_of(result["userId"], "User")
        reported = _licenses_in(result["licenses"])
        if result["status"] == "SUCCEEDED" and applied:
            logged = replay.after.get((owner, user_id))
            if logged is None:
                problems.append(f"{where}: user {user_id} SUCCEEDED without an event")
            elif logged != reported:
                problems.append(f"{where}: user {user_id} reported {reported}, log {logged}")
        else:
            if (owner, user_id) in replay.after:
                problems.append(f"{where}: user {user_id} {result['status']} yet has events")
            known = replay.history.get(user_id) or [replay.licenses_of(user_id)]
            if result["status"] != "SUCCEEDED" and reported not in known:
                problems.append(f"{where}: user {user_id} reported {reported}, never held")
    for product in payload["products"]:
        product_id = pk_of(product["id"], "Product")
        if product["assignedLicenses"] > product["totalLicenses"]:
            problems.append(f"{where}: product {product_id} reported oversold")
        logged_count = replay.counts_after.get((owner, product_id))
        if applied and logged_count is not None and logged_count != product["assignedLicenses"]:
            problems.append(
                f"{where}: product {product_id} reported {product['assignedLicenses']}"
                f" assigned, the log {logged_count}"
            )
    return problems


def _licenses_in(licenses: Sequence[Mapping[str, Any]]) -> Licenses:
    return {
        pk_of(item["product"]["id"], "Product"): tuple(
            sorted(pk_of(plan["id"], "ServicePlan") for plan in item["disabledServicePlans"])
        )
        for item in licenses
    }
