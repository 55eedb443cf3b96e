"""Command-line entry points: bot, practice, questions and db."""
