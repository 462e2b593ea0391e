"""Library exceptions. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class InputError(KgError):
    """An input file cannot be read as an article page.

    The message names the file and says what to do.
    """

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        msg = f"{path}: {problem}"
        if fix:
            msg += f"; {fix}"
        super().__init__(msg)


class UsageError(KgError):
    """The caller asked for something impossible (bad option value, missing gold file)."""

    exit_code = 2


class DataError(KgError):
    """A data file shipped with the project (vocabulary, rules) is broken."""

    exit_code = 3


class OutputError(KgError):
    """An output cannot be written (a read-only or full disk, no permission); nothing was replaced.

    Exit code 73 (sysexits' EX_CANTCREAT): the output could not be created.
    """

    exit_code = 73
