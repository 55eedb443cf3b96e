"""Problems found in bank files, printed as `file:line: id: field: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the bank, located precisely enough to fix."""

    file: str
    line: int
    question_id: str
    field: str
    message: str

    def __str__(self) -> str:
        qid = self.question_id or "-"
        field = self.field or "-"
        return f"{self.file}:{self.line}: {qid}: {field}: {self.message}"


class BankError(Exception):
    """The bank cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"the question bank has {count} {noun}:\n{lines}")
