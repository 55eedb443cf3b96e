"""Simulated learners for bench/interaction_latency.py, and the record of every interaction.

Latency is read from the fake's own clock: `Interaction.sent_at` (the INTERACTION_CREATE was
dispatched) and `Interaction.responded_at` (the bot's first callback was accepted). Follow-ups
carry no time in the fake, so a hook on the fake's change notifier stamps the first one of each
watched interaction the moment the fake stores it. The same hook wakes the learners waiting for
a reply, so no learner polls and the driver's own CPU stays small.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.bank.bank import Bank
from bot.domain.questions import McqQuestion, OpenQuestion, ShortQuestion
from tests.e2e.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser, Interaction
from tests.e2e.fake_discord.models import Message

DEADLINE = 3.0  # Discord's limit for the first response
WAIT = 20.0  # how long a learner waits for a reply before giving up on it
KINDS = ["mcq", "mcq", "short", "open"]  # what /quiz asks for: half multiple choice
PERIODS = ["week", "month", "all"]


def _public(ix: Interaction) -> bool:
    # After a silent deferral (a button), the new question comes as a follow-up.
    shown = [ix.message, *ix.followups] if ix.response_type != 6 else ix.followups
    return any(m is not None and not m.ephemeral and not m.loading for m in shown)


# What a command's interaction looks like when it did its job (errors are private replies).
WORKED: dict[str, Callable[[Interaction], bool]] = {
    "/quiz": _public,
    "Next": _public,
    "open form": lambda ix: ix.response_type == 9,
    "daily open form": lambda ix: ix.response_type == 9,
    "answer button": lambda ix: ix.response_type in (6, 7) and bool(ix.followups),
    "submit short": lambda ix: ix.response_type in (6, 7) and bool(ix.followups),
    "submit open": lambda ix: ix.response_type in (6, 7) and bool(ix.followups),
    "/stats": lambda ix: any(m.attachments for m in ix.followups),
}


@dataclass
class Record:
    """One interaction a learner sent, and when its follow-up arrived (loop time)."""

    phase: str
    command: str
    ix: Interaction
    followup_at: float | None = None

    @property
    def first_ms(self) -> float | None:
        """Milliseconds from dispatch to the accepted first response; None if there was none."""
        if self.ix.responded_at is None:
            return None
        return (self.ix.responded_at - self.ix.sent_at) * 1000

    @property
    def followup_ms(self) -> float | None:
        """Milliseconds from dispatch to the first follow-up, if one came."""
        return None if self.followup_at is None else (self.followup_at - self.ix.sent_at) * 1000

    @property
    def failed(self) -> bool:
        """Answered in time, but not with what the command does (an error or "try again")."""
        check = WORKED.get(self.command)
        return not self.missed and check is not None and not check(self.ix)

    @property
    def missed(self) -> bool:
        """No accepted first response within Discord's 3 s."""
        first = self.first_ms
        return first is None or first > DEADLINE * 1000 or bool(self.ix.late_callbacks)


@dataclass
class Tracker:
    """Every record, and the waits on the fake's state, woken by its change notifier."""

    fake: FakeDiscord
    records: list[Record] = field(default_factory=list)
    _waits: list[tuple[Callable[[], bool], asyncio.Future[None]]] = field(default_factory=list)
    _watch: list[Record] = field(default_factory=list)

    def hook(self) -> None:
        """Chain onto the fake's notifier (an instance attribute: the fake's code is untouched)."""
        original = self.fake.events.notify

        def notify() -> None:
            original()
            self._check()

        self.fake.events.notify = notify  # type: ignore[method-assign]

    def _check(self) -> None:
        now = asyncio.get_running_loop().time()
        if self._watch:
            stamped = [r for r in self._watch if r.ix.followups]
            for r in stamped:
                r.followup_at = now
            if stamped:
                self._watch = [r for r in self._watch if r.followup_at is None]
        if self._waits:
            ready = [(p, f) for p, f in self._waits if p()]
            for _, future in ready:
                if not future.done():
                    future.set_result(None)
            if ready:
                self._waits = [(p, f) for p, f in self._waits if not f.done()]

    async def until(self, predicate: Callable[[], bool], timeout: float = WAIT) -> bool:  # noqa: ASYNC109
        """Whether `predicate` came true within `timeout` seconds."""
        if predicate():
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waits.append((predicate, future))
        try:
            await asyncio.wait_for(future, timeout)
            return True
        except TimeoutError:
            self._waits = [(p, f) for p, f in self._waits if f is not future]
            return False

    def add(self, phase: str, command: str, ix: Interaction, *, followup: bool = False) -> Record:
        """Record an interaction; `followup` stamps its first follow-up when it comes."""
        record = Record(phase, command, ix)
        self.records.append(record)
        if followup:
            self._watch.append(record)
        return record


def _answered(ix: Interaction) -> bool:
    return ix.response is not None or bool(ix.rejections or ix.late_callbacks)


def _has_message(ix: Interaction) -> bool:
    return (ix.message is not None and not ix.message.loading) or (
        ix.response is None and bool(ix.rejections or ix.late_callbacks)
    )


def ids(message: Message | None, prefix: str) -> list[str]:
    """The custom_ids of a message with a prefix."""
    return [] if message is None else [c for c in message.custom_ids() if c.startswith(prefix)]


@dataclass
class Learner:
    """One simulated user: a human pause of 2–5 s before every action."""

    fake: FakeDiscord
    tracker: Tracker
    bank: Bank
    user: FakeUser
    guild: FakeGuild
    channel: FakeChannel
    rng: random.Random
    end: float = 0.0
    phase: str = ""

    async def pause(self) -> bool:
        """A human pause; False (cut short) once the phase is over."""
        left = self.end - asyncio.get_running_loop().time()
        pause = self.rng.uniform(2.0, 5.0)
        await asyncio.sleep(max(0.0, min(pause, left)))
        return pause < left

    async def slash(self, name: str, options: dict[str, Any], *, followup: bool = False) -> Record:
        """Run a slash command in the study channel."""
        ix = await self.fake.slash(self.user, name, options, guild=self.guild, channel=self.channel)
        return self.tracker.add(self.phase, f"/{name}", ix, followup=followup)

    async def click(self, label: str, message: Message, custom_id: str, **kw: bool) -> Record:
        """Press a button."""
        ix = await self.fake.click(self.user, message, custom_id, guild=self.guild)
        return self.tracker.add(self.phase, label, ix, **kw)

    async def replied(self, record: Record) -> None:
        """Until the interaction got its first response (or was refused)."""
        await self.tracker.until(lambda: _answered(record.ix))

    async def message_of(self, record: Record) -> Message | None:
        """The message an interaction posted (after any deferral), or None."""
        await self.tracker.until(lambda: _has_message(record.ix))
        return record.ix.message

    async def followup_of(self, record: Record) -> Message | None:
        """The interaction's first follow-up, or None."""
        # A direct message reply (type 4) is a refusal or an error: no follow-up comes.
        ix = record.ix
        await self.tracker.until(lambda: bool(ix.followups) or _failed(ix) or ix.response_type == 4)
        return record.ix.followups[0] if record.ix.followups else None

    def text_for(self, message: Message) -> tuple[str, str]:
        """What this learner types for a question (by the id in the footer), and its kind."""
        question = self.bank.questions.get(_footer_id(message))
        good = self.rng.random() < 0.6
        if isinstance(question, ShortQuestion):
            return (str(question.answers[0]) if good else "no idea, maybe regularisation"), "short"
        if isinstance(question, OpenQuestion):
            examples = [e.answer for e in question.examples] or [question.model_answer]
            return (question.model_answer if good else self.rng.choice(examples)), "open"
        return "I would start from the definition and check the edge cases.", "open"

    def choice_for(self, message: Message, buttons: list[str]) -> str:
        """The button a learner presses: the right one 60% of the time."""
        question = self.bank.questions.get(_footer_id(message))
        if isinstance(question, McqQuestion) and self.rng.random() < 0.6:
            wanted = f":{question.correct_index}"
            return next((b for b in buttons if b.endswith(wanted)), buttons[0])
        return self.rng.choice(buttons)

    async def answer(self, question: Message) -> Message | None:
        """Answer a served question (button, or form), then return the private feedback."""
        if buttons := ids(question, "gq:a:"):
            chosen = self.choice_for(question, buttons)
            record = await self.click("answer button", question, chosen, followup=True)
            return await self.followup_of(record)
        opener = ids(question, "gq:m:")
        if not opener:
            return None
        opened = await self.click("open form", question, opener[0])
        await self.replied(opened)
        if opened.ix.modal is None or not await self.pause():
            return None
        typed, kind = self.text_for(question)
        ix = await self.fake.submit_modal(
            self.user,
            opened.ix.modal["custom_id"],
            {"answer": typed},
            guild=self.guild,
            channel=self.channel,
            message=question,
        )
        submitted = self.tracker.add(self.phase, f"submit {kind}", ix, followup=True)
        return await self.followup_of(submitted)

    async def study(self) -> None:
        """/quiz, answer, Next, answer, /leaderboard, /stats, until the phase ends."""
        while await self.pause():
            served = await self.slash("quiz", {"kind": self.rng.choice(KINDS)})
            question = await self.message_of(served)
            for step in range(2):
                if question is None or not await self.pause():
                    break
                feedback = await self.answer(question)
                question = None
                nxt = ids(feedback, "gq:n:")
                if step == 0 and feedback is not None and nxt and await self.pause():
                    question = await self.message_of(await self.click("Next", feedback, nxt[0]))
            if not await self.pause():
                return
            scope = self.rng.choice(["server", "global"])
            board = await self.slash(
                "leaderboard", {"scope": scope, "period": self.rng.choice(PERIODS)}
            )
            await self.replied(board)
            if not await self.pause():
                return
            stats = await self.slash("stats", {}, followup=True)
            await self.followup_of(stats)

    async def probe(self) -> None:
        """/help once a second beside the load: the bot's lag when the store is not involved."""
        while asyncio.get_running_loop().time() < self.end:
            record = await self.slash("help", {})
            record.command = "/help (probe)"
            await asyncio.sleep(self.rng.uniform(0.5, 1.5))

    async def floor(self) -> None:
        """/help at the same pace: the cost of a command that does nothing."""
        while await self.pause():
            record = await self.slash("help", {})
            await self.replied(record)

    async def daily(self, post: Message, delay: float) -> None:
        """Answer the daily challenge `delay` seconds from now (the burst spreads over 1 s)."""
        await asyncio.sleep(delay)
        if buttons := ids(post, "dc:a:"):
            record = await self.click("daily answer", post, self.rng.choice(buttons))
            await self.replied(record)
            return
        opened = await self.click("daily open form", post, ids(post, "dc:m:")[0])
        await self.replied(opened)
        if opened.ix.modal is not None:
            ix = await self.fake.submit_modal(
                self.user,
                opened.ix.modal["custom_id"],
                {"answer": "softmax over the scaled dot products"},
                guild=self.guild,
                channel=self.channel,
                message=post,
            )
            record = self.tracker.add(self.phase, "daily submit", ix)
            await self.replied(record)


def _failed(ix: Interaction) -> bool:
    return ix.response is None and bool(ix.rejections or ix.late_callbacks)


def _footer_id(message: Message) -> str:
    for embed in message.embeds:
        footer = (embed.get("footer") or {}).get("text") or ""
        if " · " in footer:
            return str(footer.rsplit(" · ", 1)[-1]).strip()
    return ""
