"""One package per feature: its slash commands (cog), its buttons and its forms, and a setup()."""

EXTENSIONS = (
    "bot.features.quiz",
    "bot.features.progress",
    "bot.features.daily",
    "bot.features.admin",
    "bot.features.account",
    "bot.features.reports",
)
