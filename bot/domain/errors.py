"""Domain errors: the UI turns each into a short, friendly message."""

from __future__ import annotations


class GradientError(Exception):
    """Base of every error a user can be told about."""

    user_message = "Something about that request didn't work."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.user_message)
        self.user_message = message or self.user_message


class UnknownQuestion(GradientError):
    """The question id is not in the bank (or was retired)."""

    user_message = "That question is no longer in the bank."


class NoQuestionAvailable(GradientError):
    """No question matches the filters."""

    user_message = "No question matches those filters. Try another topic or difficulty."


class InvalidAnswer(GradientError):
    """The answer cannot be understood for this kind of question."""

    user_message = "That answer doesn't fit this question."


class AlreadyAnswered(GradientError):
    """This answer was already recorded."""

    user_message = "You've already answered this one."


class StoreUnavailable(GradientError):
    """The database did not answer in time (or at all)."""

    user_message = (
        "I couldn't reach my database in time, so that didn't go through. "
        "Please try again in a moment."
    )


class ForgedButton(GradientError):
    """A custom_id that no Gradient message carries (tampered, or out of range)."""

    user_message = "That button doesn't belong to this message, so nothing was recorded."
