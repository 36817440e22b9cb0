"""The one error type of digitisation: a Vietnamese message for the officer, a code for callers."""

from __future__ import annotations


class DigitisationError(Exception):
    """Scanning, importing or assembling failed; `message_vi` says what and what to do.

    `detail` is a short technical text (program output, library message) for the
    log: it never contains citizens' data (file names are left out of it).
    """

    code: str = "digitisation_error"

    def __init__(self, message_vi: str, *, code: str | None = None, detail: str = "") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.detail = detail
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message_vi


class ImportErrors(DigitisationError):
    """Several files of one import failed; the others were imported."""

    code = "import_errors"

    def __init__(self, errors: list[tuple[str, DigitisationError]]) -> None:
        self.errors = errors
        if len(errors) == 1:
            name, err = errors[0]
            message = f"Không nhập được tệp {name}: {err.message_vi}"
        else:
            lines = "\n".join(f"• {name}: {err.message_vi}" for name, err in errors)
            message = f"Không nhập được {len(errors)} tệp:\n{lines}"
        super().__init__(message, detail="; ".join(e.code for _, e in errors))
