"""The gateway: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME replay, and dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .payloads import INTENT_GUILD_MEMBERS, guild_create_payload, member_payload

if TYPE_CHECKING:
    from .fake import FakeDiscord

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME = 0, 1, 2, 3, 6
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11


class Connection:
    """One websocket; a writer task sends queued frames strictly in order."""

    def __init__(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        self.request = request
        self.ws = ws
        self.session: Session | None = None
        self.closed_by_server = False
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write(), name="fake-discord-gateway-writer")

    def send(self, frame: dict[str, Any]) -> None:
        """Queue a frame; frames from any task go out in the order they were queued."""
        self.queue.put_nowait(json.dumps(frame))

    async def _write(self) -> None:
        while (text := await self.queue.get()) is not None:
            if self.ws.closed:
                return
            try:
                await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    async def close(self, code: int | None) -> None:
        """Close with a close code, or with None drop the TCP connection like a network fault."""
        self.closed_by_server = True
        self.queue.put_nowait(None)
        if code is None:
            transport = self.request.transport
            if transport is not None:
                transport.abort()
        else:
            await self.ws.close(code=code, message=b"fake-discord closed the connection")

    async def finish(self) -> None:
        """Stop the writer task once the socket is gone."""
        self.queue.put_nowait(None)
        with contextlib.suppress(asyncio.CancelledError):
            await self.writer


@dataclass(eq=False)
class Session:
    """A gateway session: its sequence numbers and every dispatch, kept for RESUME replay."""

    session_id: str
    shard: tuple[int, int]
    intents: int
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list, repr=False)
    conn: Connection | None = field(default=None, repr=False)
    ready: bool = False


class Gateway:
    """Serves the websocket at /ws and routes dispatches to the right session."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[int, Session] = {}
        self.conns: set[Connection] = set()
        self.resume_allowed = True
        self.resumed = False
        self.heartbeats = 0
        self.presences: list[dict[str, Any]] = []
        self.close_codes: list[int | None] = []

    @property
    def ready(self) -> bool:
        """Every session has a live connection that finished READY/GUILD_CREATE or RESUMED."""
        return bool(self.sessions) and all(
            s.ready and s.conn is not None for s in self.sessions.values()
        )

    def shard_for(self, guild_id: int | None) -> int:
        """The shard a guild's events go to (DMs go to shard 0)."""
        count = next(iter(self.sessions.values())).shard[1] if self.sessions else 1
        return 0 if guild_id is None else (guild_id >> 22) % max(count, 1)

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        guild_id: int | None = None,
        *,
        intent: int | None = None,
    ) -> bool:
        """Send an op 0 event to the guild's shard (logged for replay even while disconnected)."""
        session = self.sessions.get(self.shard_for(guild_id))
        if session is None or (intent is not None and not session.intents & intent):
            return False
        self._dispatch_to(session, event, data)
        return True

    def _dispatch_to(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.log.append(frame)
        if session.conn is not None:
            session.conn.send(frame)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket endpoint discord.py connects to (DEFAULT_GATEWAY and resume URL)."""
        ws = web.WebSocketResponse(timeout=2.0, max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(request, ws)
        self.conns.add(conn)
        conn.send(
            {
                "op": HELLO,
                "d": {"heartbeat_interval": self.fake.heartbeat_interval_ms},
                "s": None,
                "t": None,
            }
        )
        client_code: int | None = None
        try:
            while True:
                msg = await ws.receive()
                if msg.type is WSMsgType.CLOSE:
                    client_code = int(msg.data)
                    break
                if msg.type is not WSMsgType.TEXT:
                    if msg.type in (WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                        break
                    continue
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await conn.close(4002)
                    break
                await self._on_frame(conn, frame)
        finally:
            self.close_codes.append(client_code)
            self.conns.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if not conn.closed_by_server and client_code in (1000, 1001):
                    # a clean close by the client ends the session, as on Discord
                    self.sessions.pop(session.shard[0], None)
            await conn.finish()
            self.fake.events.notify()
        return ws

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif conn.session is None:
            await conn.close(4003)
        elif op == PRESENCE:
            self.presences.append(data or {})
        elif op == REQUEST_MEMBERS:
            self._members_chunk(conn.session, data or {})
        elif op != 4:  # voice state updates are accepted and ignored
            await conn.close(4001)

    def _token_ok(self, token: Any) -> bool:
        return token in (self.fake.token, f"Bot {self.fake.token}")

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if not self._token_ok(data.get("token")):
            await conn.close(4004)
            return
        if conn.session is not None:
            await conn.close(4005)
            return
        shard_id, count = data.get("shard") or [0, 1]
        session = Session(
            session_id=secrets.token_hex(16),
            shard=(shard_id, count),
            intents=int(data.get("intents", 0)),
            conn=conn,
        )
        conn.session = session
        self.sessions[shard_id] = session
        fake = self.fake
        fake.connections += 1
        guilds = [g for g in fake.guilds.values() if self.shard_for(g.id) == shard_id]
        bot = fake.bot_user.payload()
        bot.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US"})
        self._dispatch_to(
            session,
            "READY",
            {
                "v": 10,
                "user": bot,
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.session_id,
                "session_type": "normal",
                "resume_gateway_url": fake.gateway_url,
                "shard": [shard_id, count],
                "application": {"id": str(fake.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "user_settings": {},
                "_trace": ["fake-discord"],
            },
        )
        all_members = bool(session.intents & INTENT_GUILD_MEMBERS)
        for guild in guilds:
            self._dispatch_to(
                session,
                "GUILD_CREATE",
                guild_create_payload(guild, fake.bot_user.id, fake.users, all_members=all_members),
            )
        session.ready = True
        self.fake.events.notify()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        if not self._token_ok(data.get("token")):
            await conn.close(4004)
            return
        session = next(
            (s for s in self.sessions.values() if s.session_id == data.get("session_id")), None
        )
        seq = data.get("seq") or 0
        if session is None or not self.resume_allowed or seq > session.seq:
            if session is not None:
                self.sessions.pop(session.shard[0], None)
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        conn.session = session
        session.conn = conn
        for frame in session.log:
            if frame["s"] > seq:
                conn.send(frame)
        self._dispatch_to(session, "RESUMED", {"_trace": ["fake-discord"]})
        session.ready = True
        self.resumed = True
        self.fake.resumes += 1
        self.fake.events.notify()

    def _members_chunk(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.fake.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        wanted = {int(u) for u in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        limit = int(data.get("limit") or 0) or len(guild.members)
        ids = [
            uid
            for uid, m in guild.members.items()
            if (not wanted or uid in wanted) and m.user.name.lower().startswith(query)
        ][:limit]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [member_payload(guild, uid) for uid in ids],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - set(ids)],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def disconnect(self, *, resume: bool, code: int | None) -> None:
        """Drop every connection; the next RESUME is accepted only when resume is True."""
        self.resume_allowed = resume
        self.resumed = False
        for session in self.sessions.values():
            session.ready = False
        for conn in list(self.conns):
            await conn.close(code)

    async def close_all(self) -> None:
        """Close every socket (used when the fake stops)."""
        for conn in list(self.conns):
            with contextlib.suppress(Exception):
                await conn.close(1001)
        self.sessions.clear()
