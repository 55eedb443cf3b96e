"""A small discord.py bot used to test the loopback fake of Discord."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord import app_commands

TOPICS = ["transformers", "trees", "transfer learning", "sql", "statistics"]
Choice = app_commands.Choice


class CounterButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"counter:(?P<n>\d+)"):
    """A persistent button whose state lives in its custom_id."""

    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label=f"Count {n}", custom_id=f"counter:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> CounterButton:
        """Rebuild the button from the clicked custom_id."""
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Count up by editing the message in place."""
        view = discord.ui.View(timeout=None).add_item(CounterButton(self.n + 1))
        await interaction.response.edit_message(content=f"count is {self.n + 1}", view=view)


class FeedbackModal(discord.ui.Modal):
    """A modal with one label-wrapped input (2.6+ style) and one classic row input."""

    answer: discord.ui.Label[Any] = discord.ui.Label(
        text="Your answer",
        component=discord.ui.TextInput(
            custom_id="answer", style=discord.TextStyle.paragraph, max_length=200
        ),
    )
    mood: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Mood", custom_id="mood", required=False
    )

    def __init__(self) -> None:
        super().__init__(title="Feedback", custom_id="feedback_modal")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Echo what was typed."""
        text_input = self.answer.component
        assert isinstance(text_input, discord.ui.TextInput)
        await interaction.response.send_message(f"Thanks: {text_input.value} / {self.mood.value}")


class QuizView(discord.ui.View):
    """A plain (non-persistent) view with a reveal button and a modal opener."""

    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.add_item(CounterButton(0))

    @discord.ui.button(label="Reveal", custom_id="reveal")
    async def reveal(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        """Show the answer and disable the button."""
        button.disabled = True
        await interaction.response.edit_message(content="The answer is 42", view=self)

    @discord.ui.button(label="Give feedback", custom_id="open_feedback")
    async def feedback(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        """Open the feedback modal."""
        await interaction.response.send_modal(FeedbackModal())


class ToyBot(discord.Client):
    """A small bot with one of each interaction pattern the fake has to support."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.guild_id = guild_id
        self.resumed = asyncio.Event()
        build_commands(self.tree, discord.Object(guild_id))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before re-IDENTIFYing: the fake has no identify limit."""

    async def setup_hook(self) -> None:
        """Persistent items are registered before connecting, as a real bot does."""
        self.add_dynamic_items(CounterButton)

    async def on_resumed(self) -> None:
        """Remember that discord.py saw RESUMED."""
        self.resumed.set()


def build_commands(tree: app_commands.CommandTree[Any], guild: discord.Object) -> None:
    """Global commands plus one guild-only group."""

    @tree.command(description="Start a quiz")
    @app_commands.choices(
        difficulty=[Choice(name="Easy", value="easy"), Choice(name="Hard", value="hard")]
    )
    async def quiz(
        interaction: discord.Interaction, topic: str, difficulty: str = "easy", rounds: int = 1
    ) -> None:
        embed = discord.Embed(title=f"Quiz: {topic}", description=f"{difficulty} x{rounds}")
        embed.add_field(name="Q1", value="What is attention?").set_footer(text="good luck")
        await interaction.response.send_message(embed=embed, view=QuizView())

    @quiz.autocomplete("topic")
    async def topics(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=t, value=t) for t in TOPICS if t.startswith(current)]

    @tree.command(description="Autocomplete that answers too many choices")
    async def greedy(interaction: discord.Interaction, word: str) -> None:
        await interaction.response.send_message(word)

    @greedy.autocomplete("word")
    async def greedy_words(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=f"{current}{i}", value=f"{current}{i}") for i in range(30)]

    @tree.command(description="Think, then answer")
    async def slow(interaction: discord.Interaction, followup_only: bool = False) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        if not followup_only:
            await interaction.edit_original_response(content="done thinking")
        extra = discord.File(io.BytesIO(b"extra"), filename="extra.txt")
        await interaction.followup.send("and one more thing", file=extra)

    @tree.command(description="A private reply")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you can see this", ephemeral=True)

    @tree.command(description="Misses Discord's 3 second deadline")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(3.5)
        await interaction.response.send_message("too late")

    @tree.command(description="Post notes with a file into a channel")
    async def upload(
        interaction: discord.Interaction,
        where: discord.TextChannel,
        file: discord.Attachment,
        member: discord.User,
    ) -> None:
        data = await file.read()
        notes = discord.File(io.BytesIO(data.upper()), filename="notes.txt")
        await where.send(f"notes for {member.name}", file=notes)
        receipt = discord.File(io.BytesIO(b"ok"), filename="receipt.txt")
        await interaction.response.send_message(
            f"posted {len(data)} bytes", file=receipt, ephemeral=True
        )

    @tree.command(description="Report the caller's permissions")
    async def perms(interaction: discord.Interaction) -> None:
        member = interaction.user
        assert isinstance(member, discord.Member)
        admin = member.guild_permissions.administrator
        await interaction.response.send_message(
            f"admin={admin} channel={interaction.permissions.administrator}"
        )

    group = app_commands.Group(name="gradient", description="Settings")
    daily = app_commands.Group(name="daily", description="Daily questions", parent=group)

    @daily.command(name="set", description="Set the daily hour")
    async def daily_set(
        interaction: discord.Interaction, hour: app_commands.Range[int, 0, 23]
    ) -> None:
        await interaction.response.send_message(f"daily at {hour}:00")

    tree.add_command(group, guild=guild)
