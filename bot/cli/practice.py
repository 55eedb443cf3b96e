"""`python -m bot practice`: quiz yourself in the terminal with the bot's own services and store."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import random
import sys
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape

from bot.bank.bank import BEHAVIORAL_TOPIC
from bot.cli import practice_view as view
from bot.cli.errors import fail_clearly
from bot.container import Container, build_container
from bot.db.users import ensure_user
from bot.domain.errors import GradientError
from bot.domain.questions import (
    AnyQuestion,
    BehavioralQuestion,
    Difficulty,
    Kind,
    McqQuestion,
    OpenQuestion,
)
from bot.domain.review import Recall
from bot.services.results import AnswerOutcome
from bot.settings import Settings

QUIT, SKIP = "quit", "skip"
CONCEPT_KINDS = frozenset({Kind.MCQ, Kind.SHORT, Kind.OPEN})


def terminal_user_id(name: str) -> int:
    """A stable negative id per terminal name, so it never collides with a Discord id."""
    digest = hashlib.sha256(name.strip().casefold().encode()).digest()
    return -(int.from_bytes(digest[:7], "big") + 1)


class EndOfInput(Exception):
    """The user typed quit or input ended."""


@dataclass
class Tally:
    """What happened this session, for the summary."""

    answered: int = 0
    correct: int = 0
    credit: float = 0.0
    points: int = 0
    skipped: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    topic_correct: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: AnswerOutcome) -> None:
        """Count one graded answer."""
        self.answered += 1
        self.correct += outcome.grade.correct
        self.credit += outcome.grade.credit
        self.points += outcome.points
        self.topics[outcome.question.topic] += 1
        self.topic_correct[outcome.question.topic] += outcome.grade.correct


class Terminal:
    """Reads answers without blocking the event loop and prints with rich."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def line(self, prompt: str) -> str:
        """One line; EndOfInput on EOF or 'quit'."""
        self.console.print(prompt, end="", highlight=False)
        text: str = await asyncio.to_thread(sys.stdin.readline)
        if not text:
            raise EndOfInput
        text = text.rstrip("\n")
        if text.strip().casefold() == QUIT:
            raise EndOfInput
        return text

    async def answer(self, prompt: str) -> str:
        """One non-empty line: an empty one is asked again rather than graded."""
        while True:
            text = await self.line(prompt)
            if text.strip():
                return text

    async def block(self, prompt: str) -> str:
        """Several lines, ended by an empty line; 'skip' alone on the first line skips."""
        self.console.print(prompt, highlight=False)
        lines: list[str] = []
        while True:
            try:
                text = await self.line("[dim]│[/] ")
            except EndOfInput:
                if lines:
                    break
                raise
            if not text.strip():
                if lines:
                    break
                continue
            if not lines and text.strip().casefold() == SKIP:
                return SKIP
            lines.append(text)
        return "\n".join(lines)


async def _ask(term: Terminal, q: AnyQuestion) -> str:
    if isinstance(q, McqQuestion):
        letters = "/".join(q.letters)
        return await term.answer(f"Your answer ({letters}, skip, quit): ")
    if isinstance(q, BehavioralQuestion):
        return await term.block(
            "Tell your story, STAR style (end with an empty line; 'skip' or 'quit'):"
        )
    if isinstance(q, OpenQuestion):
        return await term.block("Explain it (end with an empty line; 'skip' or 'quit' alone):")
    return await term.answer("Your answer (or skip, quit): ")


async def _self_rate(
    term: Terminal, container: Container, user_id: int, outcome: AnswerOutcome
) -> None:
    """Open and behavioral answers: the learner's own rating drives spaced repetition."""
    if outcome.grade.unsure:
        term.console.print("[yellow]I wasn't sure of my grade: your rating decides it.[/]")
    while True:
        text = await term.line(
            "How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy (Enter to skip): "
        )
        if not text.strip():
            return
        if text.strip() in {"1", "2", "3", "4"}:
            break
        term.console.print("[yellow]Type 1, 2, 3 or 4, or press Enter.[/]")
    async with container.database.unit_of_work() as session:
        rated = await container.learning.rate_recall(
            session, user_id, outcome.attempt_id, Recall(int(text))
        )
    when = f"{rated.due:%Y-%m-%d %H:%M}"
    note = f"Noted. It comes back for review around {when} UTC."
    if rated.set_credit:
        note += f" Your rating set its credit: {rated.points} points."
    term.console.print(f"[dim]{note}[/]")


@dataclass
class _Run:
    container: Container
    console: Console
    term: Terminal
    user_id: int
    args: argparse.Namespace
    rng: random.Random | None
    tally: Tally = field(default_factory=Tally)

    async def one(self, number: int) -> None:
        learning, args = self.container.learning, self.args
        kinds = frozenset({Kind.BEHAVIORAL}) if args.topic == BEHAVIORAL_TOPIC else CONCEPT_KINDS
        difficulty = Difficulty(args.difficulty) if args.difficulty else None
        async with self.container.database.unit_of_work() as session:
            served = await learning.next_question(
                session, self.user_id, args.topic, difficulty, kinds=kinds, rng=self.rng
            )
        q = served.question
        topic = self.container.bank.topics[q.topic].name
        view.question(self.console, number, args.count, q, topic, served.reason)
        while True:
            response = await _ask(self.term, q)
            if response.strip().casefold() == SKIP:
                self.tally.skipped += 1
                self.console.print(f"[dim]Skipped. Answer: {escape(view.answer_text(q))}[/]")
                return
            try:
                async with self.container.database.unit_of_work() as session:
                    outcome = await learning.submit_answer(
                        session,
                        self.user_id,
                        q.id,
                        response,
                        source="practice",
                        served_at=served.served_at,
                    )
            except GradientError as exc:
                self.console.print(f"[yellow]{escape(exc.user_message)}[/]")
                continue
            self.tally.add(outcome)
            view.outcome(self.console, outcome)
            if isinstance(q, (OpenQuestion, BehavioralQuestion)):
                await _self_rate(self.term, self.container, self.user_id, outcome)
            return


async def _status(container: Container, user_id: int, console: Console) -> None:
    async with container.database.unit_of_work() as session:
        weak = await container.progress.weak_topics(session, user_id)
        due = await container.progress.due_reviews(session, user_id)
    view.weak_and_due(console, weak, due, container.clock())


async def _session(container: Container, args: argparse.Namespace, console: Console) -> int:
    name = args.user or getpass.getuser() or "learner"
    if args.topic and args.topic not in container.bank.topics:
        known = ", ".join(container.bank.topics)
        console.print(f"[red]Unknown topic {escape(args.topic)!r}.[/] Known topics: {known}")
        return 2
    user_id = terminal_user_id(name)
    async with container.database.unit_of_work() as session:
        await ensure_user(session, user_id=user_id, name=name, now=container.clock())
    console.print(
        f"[bold]Gradient practice[/] for [cyan]{escape(name)}[/]: {args.count} questions. "
        "Type [bold]quit[/] to stop, [bold]skip[/] to pass."
    )
    await _status(container, user_id, console)
    rng = random.Random(args.seed) if args.seed is not None else None
    run = _Run(container, console, Terminal(console), user_id, args, rng)
    try:
        for number in range(1, args.count + 1):
            await run.one(number)
    except EndOfInput:
        console.print()
    _summary(console, run.tally, container)
    if run.tally.answered:
        await _status(container, user_id, console)
    return 0


def _summary(console: Console, tally: Tally, container: Container) -> None:
    if not tally.answered:
        console.print("No answers this time. Come back soon!")
        return
    console.print(
        f"[bold]Session summary:[/] {tally.correct}/{tally.answered} correct, "
        f"average credit {tally.credit / tally.answered:.0%}, {tally.points} points, "
        f"{tally.skipped} skipped."
    )
    for topic, count in tally.topics.most_common():
        console.print(
            f"  {container.bank.topics[topic].name}: {tally.topic_correct[topic]}/{count}"
        )


async def _main(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    # Practice is a local, single-user tool, so it may bring the schema up to date itself.
    container = await build_container(settings, auto_upgrade=True)
    try:
        return await _session(container, args, console)
    finally:
        await container.close()


def practice_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run a terminal practice session; results go to the same store as the bot."""
    if args.count < 1:
        print("gradient: --count must be at least 1", file=sys.stderr)
        return 2
    console = Console(highlight=False)
    try:
        return asyncio.run(_main(args, settings, console))
    except KeyboardInterrupt:
        console.print("\nStopped. Your answers so far are saved.")
        return 0
    except Exception as exc:
        return fail_clearly(exc, settings.database_url)
