"""Gradient: a Discord study bot for ML and behavioral interview practice."""

__version__ = "0.1.0"
