"""A TCP proxy in front of PostgreSQL that counts statements and round trips on the wire.

Counting on the wire sees everything a server sends, whatever its driver or pool does:
pre-ping statements, BEGIN and ROLLBACK, prepares, COPY, and PostGraphile's single
statement alike. It runs in a thread of the benchmark (never in the server measured) and
answers PostgreSQL's SSL request with "no", so the protocol stays readable.

- round trips: each time the client must wait for the server — every ReadyForQuery after
  the first of a connection (one per Sync or simple Query), plus every COPY-in handshake;
- statements: each Execute of a bound statement and each statement of a simple Query,
  split into ``sql`` (real work), ``transaction`` (BEGIN, COMMIT, ROLLBACK, SAVEPOINT ...)
  and ``ping`` (the empty statement of a pre-ping);
- connections: new server connections (the first ReadyForQuery of each).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104
_CANCEL_REQUEST = 80877102
_TRANSACTION_WORDS = frozenset(
    {"begin", "start", "commit", "end", "rollback", "savepoint", "release", "abort"}
)
_CHUNK = 65536


def kind_of(sql: str) -> str:
    """``sql``, ``transaction`` or ``ping`` for one statement's text."""
    words = sql.strip().strip(";").split(None, 1)
    if not words:
        return "ping"
    return "transaction" if words[0].lower() in _TRANSACTION_WORDS else "sql"


@dataclass
class WireCounts:
    """Cumulative counters; subtract two snapshots to get the counts of a window."""

    round_trips: int = 0
    connections: int = 0
    statements: Counter[str] = field(default_factory=Counter)

    def copy(self) -> WireCounts:
        return WireCounts(self.round_trips, self.connections, Counter(self.statements))

    def __sub__(self, other: WireCounts) -> WireCounts:
        statements = Counter(self.statements)
        statements.subtract(other.statements)
        return WireCounts(
            self.round_trips - other.round_trips, self.connections - other.connections, statements
        )

    @property
    def sql(self) -> int:
        """Statements that do work (not transaction control, not pings)."""
        return self.statements["sql"]


class _Frames:
    """Splits a byte stream into protocol messages ``(type, payload)``."""

    def __init__(self, *, startup: bool) -> None:
        self._buffer = bytearray()
        self.startup = startup  # the client's first messages carry no type byte

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        """Every complete message buffered so far."""
        self._buffer += data
        frames: list[tuple[bytes, bytes]] = []
        while frame := self.next():
            frames.append(frame)
        return frames

    def add(self, data: bytes) -> None:
        self._buffer += data

    def take_rest(self) -> bytes:
        """The bytes buffered but not yet split, removed from the buffer."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        return rest

    def next(self) -> tuple[bytes, bytes] | None:
        """The next complete message, if one is buffered."""
        header = 4 if self.startup else 5
        if len(self._buffer) < header:
            return None
        (length,) = struct.unpack_from("!i", self._buffer, header - 4)
        end = header - 4 + length
        if len(self._buffer) < end:
            return None
        kind = b"" if self.startup else bytes(self._buffer[:1])
        payload = bytes(self._buffer[header:end])
        del self._buffer[:end]
        return kind, payload


class _ClientSide:
    """Follows one client's messages: which statement each Execute runs."""

    def __init__(self, counts: WireCounts, lock: threading.Lock) -> None:
        self._counts, self._lock = counts, lock
        self._prepared: dict[bytes, str] = {}
        self._portals: dict[bytes, str] = {}

    def on_message(self, kind: bytes, payload: bytes) -> None:
        if kind == b"Q":
            text = payload.rstrip(b"\0").decode(errors="replace")
            for sql in [part for part in text.split(";") if part.strip()] or [""]:
                self._count(kind_of(sql))
        elif kind == b"P":
            name, query, _ = payload.split(b"\0", 2)
            self._prepared[name] = query.decode(errors="replace")
        elif kind == b"B":
            portal, statement, _ = payload.split(b"\0", 2)
            self._portals[portal] = self._prepared.get(statement, "?")
        elif kind == b"E":
            portal = payload.split(b"\0", 1)[0]
            self._count(kind_of(self._portals.get(portal, "?")))

    def _count(self, kind: str) -> None:
        with self._lock:
            self._counts.statements[kind] += 1


class WireCounter:
    """Listens on 127.0.0.1:``port`` and forwards to PostgreSQL, counting as it goes."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._counts = WireCounts()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> WireCounter:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def snapshot(self) -> WireCounts:
        """The counters so far (a copy)."""
        with self._lock:
            return self._counts.copy()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        with contextlib.suppress(OSError, asyncio.IncompleteReadError, ConnectionError):
            await asyncio.gather(
                self._from_client(reader, writer, up_writer), self._from_server(up_reader, writer)
            )
        for end in (writer, up_writer):
            end.close()

    async def _from_client(
        self,
        reader: asyncio.StreamReader,
        client: asyncio.StreamWriter,
        server: asyncio.StreamWriter,
    ) -> None:
        frames = _Frames(startup=True)
        side = _ClientSide(self._counts, self._lock)
        while data := await reader.read(_CHUNK):
            if frames.startup:
                data = self._startup(frames, data, client)
            else:
                for kind, payload in frames.feed(data):
                    side.on_message(kind, payload)
            server.write(data)
            await server.drain()
        server.close()

    @staticmethod
    def _startup(frames: _Frames, data: bytes, client: asyncio.StreamWriter) -> bytes:
        """Refuse SSL ourselves (so the stream stays plain) and pass the startup on."""
        forwarded = b""
        frames.add(data)
        while frames.startup and (frame := frames.next()):
            payload = frame[1]
            (code,) = struct.unpack_from("!i", payload)
            if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                client.write(b"N")
                continue
            forwarded += struct.pack("!i", len(payload) + 4) + payload
            frames.startup = code == _CANCEL_REQUEST  # typed messages follow a startup
        # Typed bytes in the same read as the startup message go on uncounted: a client
        # waits for the server's ReadyForQuery before it sends its first query anyway.
        return forwarded + (b"" if frames.startup else frames.take_rest())

    async def _from_server(
        self, reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        frames = _Frames(startup=False)
        ready_seen = False
        while data := await reader.read(_CHUNK):
            waits = 0
            for kind, _ in frames.feed(data):
                if kind == b"Z" and not ready_seen:
                    ready_seen = True
                    with self._lock:
                        self._counts.connections += 1
                elif kind in (b"Z", b"G"):
                    waits += 1
            if waits:
                with self._lock:
                    self._counts.round_trips += waits
            client.write(data)
            await client.drain()
        client.close()
