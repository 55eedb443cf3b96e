"""A loopback fake of Discord's REST API v10 and gateway for driving a real discord.py client."""

from .fake import FakeDiscord
from .models import FakeChannel, FakeGuild, FakeUser, Interaction, Message
from .pytest_plugin import connected, fake_discord, running_fake

__all__ = [
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeUser",
    "Interaction",
    "Message",
    "connected",
    "fake_discord",
    "running_fake",
]
