"""Errors every layer may raise. Each carries a one-line message fit to show a practitioner.

Messages never contain names, notes or passphrases: only paths, ids and pseudonymous codes.
"""


class VigError(Exception):
    """Base of all expected failures; the CLI prints `str(err)` and exits 2, the GUI shows it."""


class WrongPassphrase(VigError):
    def __init__(self, library: str):
        super().__init__(f"wrong passphrase for library {library}")


class NotALibrary(VigError):
    def __init__(self, path: str, why: str = "no library.key found"):
        super().__init__(f"{path} is not a VIG Studio library ({why})")


class DamagedLibrary(VigError):
    def __init__(self, path: str, why: str):
        super().__init__(f"library {path} is damaged: {why}")


class LibraryExists(VigError):
    def __init__(self, path: str):
        super().__init__(f"{path} already exists and is not empty")


class PassphraseTooShort(VigError):
    MIN_LENGTH = 10

    def __init__(self) -> None:
        super().__init__(
            f"passphrase too short: use at least {self.MIN_LENGTH} characters "
            "(a few unrelated words are easy to remember and hard to guess)"
        )


class NotFound(VigError):
    """An id or code that does not exist, e.g. `NotFound("case", "F-014")`."""

    def __init__(self, kind: str, key: object):
        super().__init__(f"unknown {kind}: {key}")
        self.kind = kind
        self.key = key


class InvalidInput(VigError):
    """A value refused before anything is written (out-of-range frame, empty code...)."""


class DiskFull(VigError):
    def __init__(self, where: str):
        super().__init__(f"not enough disk space to write to {where}; nothing was changed")


class Cancelled(VigError):
    def __init__(self, what: str = "operation"):
        super().__init__(f"{what} cancelled; nothing was changed")


class ConsentMissing(VigError):
    def __init__(self, case_code: str, scope: str):
        super().__init__(f"case {case_code} has no '{scope}' consent recorded")
