"""`python -m bot practice`: quiz yourself in the terminal with the bot's own services and store."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from bot.cli.errors import explain
from bot.container import Container, build_container
from bot.db.users import ensure_user
from bot.domain.errors import GradientError
from bot.domain.questions import AnyQuestion, Difficulty, Kind, McqQuestion, OpenQuestion
from bot.services.results import AnswerOutcome
from bot.settings import Settings

QUIT, SKIP = "quit", "skip"
TERMINAL_KINDS = frozenset({Kind.MCQ, Kind.SHORT, Kind.OPEN})


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
    skipped: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    topic_correct: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: AnswerOutcome) -> None:
        """Count one graded answer."""
        self.answered += 1
        self.correct += outcome.grade.correct
        self.credit += outcome.grade.credit
        self.topics[outcome.question.topic] += 1
        self.topic_correct[outcome.question.topic] += outcome.grade.correct


class Terminal:
    """Reads answers without blocking the event loop and prints with rich."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def line(self, prompt: str) -> str:
        """One line; EndOfInput on EOF or 'quit'."""
        self.console.print(prompt, end="", markup=True, highlight=False)
        text: str = await asyncio.to_thread(sys.stdin.readline)
        if not text:
            raise EndOfInput
        text = text.rstrip("\n")
        if text.strip().casefold() == QUIT:
            raise EndOfInput
        return text

    async def block(self, prompt: str) -> str:
        """Several lines, ended by an empty line."""
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


def _render_question(
    console: Console, number: int, total: int, q: AnyQuestion, topic_name: str
) -> None:
    title = f"Question {number}/{total} · {topic_name} · {q.difficulty} · {q.kind}"
    body = escape(q.prompt)
    if isinstance(q, McqQuestion):
        body += "\n\n" + "\n".join(
            f"[bold]{chr(65 + i)}.[/] {escape(c.text)}" for i, c in enumerate(q.choices)
        )
    console.print(Panel(body, title=title, title_align="left", border_style="cyan"))


def _render_outcome(console: Console, outcome: AnswerOutcome) -> None:
    grade, q = outcome.grade, outcome.question
    mark = "[bold green]✓[/]" if grade.correct else "[bold red]✗[/]"
    console.print(f"{mark} {escape(grade.feedback)}  [dim](credit {grade.credit:.0%})[/]")
    if isinstance(q, OpenQuestion):
        for point in grade.matched:
            console.print(f"  [green]covered[/] {escape(point)}")
        for point in grade.missed:
            console.print(f"  [yellow]missed[/]  {escape(point)}")
        console.print(
            Panel(
                escape(q.model_answer), title="Model answer", title_align="left", border_style="dim"
            )
        )
    elif not grade.correct:
        console.print(f"  Answer: [bold]{escape(grade.expected)}[/]")
    console.print(
        Panel(escape(q.explanation), title="Why", title_align="left", border_style="green")
    )


async def _ask(term: Terminal, q: AnyQuestion) -> str:
    if isinstance(q, McqQuestion):
        letters = "".join(chr(65 + i) for i in range(len(q.choices)))
        return await term.line(f"Your answer ({'/'.join(letters)}, skip, quit): ")
    if isinstance(q, OpenQuestion):
        return await term.block("Explain it (end with an empty line; 'skip' or 'quit' alone):")
    return await term.line("Your answer (or skip, quit): ")


async def _session(container: Container, args: argparse.Namespace, console: Console) -> int:
    name = args.user or getpass.getuser() or "learner"
    user_id = terminal_user_id(name)
    learning = container.learning
    difficulty = Difficulty(args.difficulty) if args.difficulty else None
    if args.topic and args.topic not in container.bank.topics:
        known = ", ".join(container.bank.topics)
        console.print(f"[red]Unknown topic {escape(args.topic)!r}.[/] Known topics: {known}")
        return 2
    async with container.database.unit_of_work() as session:
        await ensure_user(session, user_id, name, learning.clock())
    term = Terminal(console)
    tally = Tally()
    console.print(
        f"[bold]Gradient practice[/] for [cyan]{escape(name)}[/]: {args.count} questions. "
        "Type [bold]quit[/] to stop, [bold]skip[/] to pass."
    )
    import random

    rng = random.Random(args.seed) if args.seed is not None else None
    try:
        for number in range(1, args.count + 1):
            async with container.database.unit_of_work() as session:
                served = await learning.next_question(
                    session, user_id, args.topic, difficulty, kinds=TERMINAL_KINDS, rng=rng
                )
            q = served.question
            _render_question(console, number, args.count, q, container.bank.topics[q.topic].name)
            while True:
                response = await _ask(term, q)
                if response.strip().casefold() == SKIP:
                    tally.skipped += 1
                    console.print(f"[dim]Skipped. Answer: {escape(_answer_text(q))}[/]")
                    break
                try:
                    async with container.database.unit_of_work() as session:
                        outcome = await learning.submit_answer(
                            session,
                            user_id,
                            q.id,
                            response,
                            source="practice",
                            served_at=served.served_at,
                        )
                except GradientError as exc:
                    console.print(f"[yellow]{escape(exc.user_message)}[/]")
                    continue
                tally.add(outcome)
                _render_outcome(console, outcome)
                break
    except EndOfInput:
        console.print()
    _summary(console, tally, container)
    return 0


def _answer_text(q: AnyQuestion) -> str:
    if isinstance(q, McqQuestion):
        return f"{chr(65 + q.correct_index)}. {q.choices[q.correct_index].text}"
    if isinstance(q, OpenQuestion):
        return q.model_answer
    return str(getattr(q, "answers", ("",))[0])


def _summary(console: Console, tally: Tally, container: Container) -> None:
    if not tally.answered:
        console.print("No answers this time. Come back soon!")
        return
    console.print(
        f"[bold]Session summary:[/] {tally.correct}/{tally.answered} correct, "
        f"average credit {tally.credit / tally.answered:.0%}, {tally.skipped} skipped."
    )
    for topic, count in tally.topics.most_common():
        name = container.bank.topics[topic].name
        console.print(f"  {name}: {tally.topic_correct[topic]}/{count}")


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
        message = explain(exc, settings.database_url)
        if message is None:
            raise
        print(f"gradient: {message}", file=sys.stderr)
        return 1
