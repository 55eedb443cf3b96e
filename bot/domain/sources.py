"""Where an answer comes from: stored with every served question and attempt."""

from __future__ import annotations

from enum import StrEnum


class QuestionSource(StrEnum):
    """The front end or mode that served a question; the values are what the store keeps."""

    QUIZ = "quiz"
    DAILY = "daily"
    REVIEW = "review"
    PRACTICE = "practice"  # the terminal
    MOCK = "mock"
    BEHAVIORAL = "behavioral"
