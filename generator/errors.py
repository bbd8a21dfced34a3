"""Content problems: collected during a build and reported all at once.

Every problem an editor can cause is a ContentError with the file, the line, the
field and a message in Swedish. The build never stops at the first one: each
step gathers all of its problems and the build fails with all of them together.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    field: str
    message: str
    column: int = 0  # 1-based, where the line's problem is; 0 when it is the whole line

    def __str__(self) -> str:
        if self.field:
            return f"{self.path}:{self.line}: {self.field}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class BuildFailed(Exception):
    """Raised when content errors stop a build; carries all of them, sorted."""

    def __init__(self, errors: list[ContentError], warnings: list[ContentError] = ()):
        self.errors = sorted(set(errors))
        self.warnings = sorted(set(warnings))  # shown with the errors: they may explain them
        super().__init__(f"{len(self.errors)} fel i innehållet")
