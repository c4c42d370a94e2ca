"""Messages of the intake errors, from the string catalogue (``intake.error.*``).

An error is built by key, so its wording lives with every other user-facing string
(``leadroi/locales/<lang>/intake.yaml``) and the English and Chinese texts stay twins.
The command line speaks English; the Chinese texts are there for a Chinese front end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadroi.errors import DataError
from leadroi.i18n import catalogue

__all__ = ["data_error", "message"]


def message(key: str, lang: str = "en", **values: Any) -> str:
    """The text at ``intake.<key>`` with its placeholders filled."""
    return catalogue(lang)(f"intake.{key}", **values)


def data_error(key: str, *, file: str | None = None, column: str | None = None,
               rows: Sequence[int] | None = None, lang: str = "en",
               **values: Any) -> DataError:
    """A :class:`DataError` whose message is ``intake.error.<key>`` and whose hint is
    ``intake.hint.<key>`` when the catalogue has one.

    Parameters
    ----------
    key : str
        Error key in the catalogue.
    file, column, rows
        Where the problem is (see :class:`DataError`).
    lang : {"en", "zh"}
    **values
        Placeholders of the message and the hint.

    Returns
    -------
    DataError
        To be raised by the caller.
    """
    t = catalogue(lang)
    hint = t.get(f"intake.hint.{key}", None, **values)
    return DataError(t(f"intake.error.{key}", **values), file=file, column=column,
                     rows=rows, hint=hint)
