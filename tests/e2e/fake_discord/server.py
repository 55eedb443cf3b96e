"""The aiohttp server: routing, auth, body parsing, injected 429s, errors in Discord's shape."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web
from multidict import MultiMapping

from .messages import Upload
from .validation import Problems

if TYPE_CHECKING:
    from .fake import FakeDiscord

log = logging.getLogger(__name__)

API_PREFIX = re.compile(r"^/api/v(9|10)(?=/)")


class HttpError(Exception):
    """Raised by a route to answer with Discord's error JSON."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors


def invalid_form(fake: FakeDiscord, where: str, problems: Problems) -> HttpError:
    """Record every problem in fake.violations and build the 400 50035 error for them."""
    for line in problems.lines():
        fake.violations.append(f"{where}: {line}")
    if len(problems.items) == 1 and problems.items[0][1] == "EMPTY_MESSAGE":
        return HttpError(400, 50006, "Cannot send an empty message")
    return HttpError(400, 50035, "Invalid Form Body", problems.errors())


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response whose content type is exactly application/json (discord.py insists)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def no_content() -> web.Response:
    """204, as Discord answers deletes and acknowledgements."""
    return web.Response(status=204)


@dataclass
class RestRequest:
    """A parsed REST request: path parameters, query, JSON (or payload_json) and file parts."""

    method: str
    path: str
    params: dict[str, str]
    query: MultiMapping[str]
    payload: Any = None
    uploads: list[Upload] = field(default_factory=list)

    def flag(self, name: str) -> bool:
        """A boolean query parameter such as ?wait=1 or ?with_response=true."""
        return self.query.get(name, "").lower() in ("1", "true")

    def where(self) -> str:
        """ "METHOD /path" for violation messages."""
        return f"{self.method} {self.path}"


Handler = Callable[[RestRequest], Awaitable[web.Response]]


@dataclass
class RateLimitRule:
    """An injected 429: the next `count` requests matching method and path regex get it."""

    method: str
    pattern: re.Pattern[str]
    retry_after: float
    count: int
    via: bool = True


class HttpServer:
    """Owns the aiohttp application; every API path goes through one dispatcher."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self.rate_limits: list[RateLimitRule] = []
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_get("/ws", fake.gateway.handle)
        self.app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner: web.AppRunner | None = None
        self.port = 0

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        """Register a route; `{name}` segments become path parameters."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.routes.append((method, re.compile(f"^{regex}$"), handler, auth))

    async def start(self) -> None:
        """Listen on 127.0.0.1 with a port the OS picks."""
        self.runner = web.AppRunner(
            self.app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self.runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve files, fake the API, and record every API request."""
        if request.path in self.fake.served_files and request.method == "GET":
            if self.fake.download_delay:
                await asyncio.sleep(self.fake.download_delay)
            if self.fake.download_status is not None:
                return web.Response(status=self.fake.download_status, text="unavailable")
            data, content_type = self.fake.served_files[request.path]
            return web.Response(body=data, headers={"Content-Type": content_type})
        match = API_PREFIX.match(request.path)
        path = request.path[match.end() :] if match else request.path
        self.fake.requests.append((request.method, path))
        self.fake.request_times.append(time.monotonic())
        limited = self._rate_limited(request.method, path)
        if limited is not None:
            return limited
        for method, regex, handler, auth in self.routes:
            found = regex.match(path)
            if match is None or found is None or method != request.method:
                continue
            if auth and request.headers.get("Authorization") != f"Bot {self.fake.token}":
                return json_response({"message": "401: Unauthorized", "code": 0}, 401)
            try:
                rest = RestRequest(request.method, path, found.groupdict(), request.query)
                await self._read_body(request, rest)
                return await handler(rest)
            except HttpError as exc:
                body: dict[str, Any] = {"message": exc.message, "code": exc.code}
                if exc.errors is not None:
                    body["errors"] = exc.errors
                return json_response(body, exc.status)
            except Exception:
                # a bug in the fake must fail the test loudly, not look like a Discord outage
                self.fake.violations.append(
                    f"fake-discord internal error on {request.method} "
                    f"{path}:\n{traceback.format_exc()}"
                )
                log.exception("fake-discord internal error")
                return json_response({"message": "fake-discord internal error", "code": 0}, 400)
        self.fake.unknown_routes.append((request.method, path))
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    @staticmethod
    async def _read_body(request: web.Request, rest: RestRequest) -> None:
        if not request.can_read_body:
            return
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read(decode=False)
                if name == "payload_json":
                    rest.payload = _json(bytes(data).decode())
                elif (found := re.fullmatch(r"files\[(\d+)\]", name)) is not None:
                    content_type = part.headers.get("Content-Type", "application/octet-stream")
                    rest.uploads.append(
                        Upload(
                            int(found.group(1)), part.filename or "file", content_type, bytes(data)
                        )
                    )
        else:
            text = await request.text()
            rest.payload = _json(text) if text else None

    def _rate_limited(self, method: str, path: str) -> web.Response | None:
        for rule in self.rate_limits:
            if rule.count <= 0 or rule.method != method or not rule.pattern.search(path):
                continue
            rule.count -= 1
            self.fake.rate_limited += 1
            headers = {
                "Retry-After": str(math.ceil(rule.retry_after)),
                "X-RateLimit-Scope": "user",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                "X-RateLimit-Bucket": "fakebucket" + format(abs(hash(rule.pattern.pattern)), "x"),
            }
            if rule.via:
                headers["Via"] = "1.1 google"
            body = {
                "message": "You are being rate limited.",
                "retry_after": rule.retry_after,
                "global": False,
            }
            return json_response(body, 429, headers)
        return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise HttpError(400, 50109, "The request body contains invalid JSON.") from None
