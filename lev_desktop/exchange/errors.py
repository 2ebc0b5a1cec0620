"""Why a package is refused: a code for tests and scripts, a Thai sentence for people."""

from __future__ import annotations


class Refusal(Exception):
    """A package this office will not import. Nothing was written."""

    def __init__(self, code: str, message: str, *, office: str = "", package: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.office = office
        self.package = package

    def __str__(self) -> str:
        return self.message
