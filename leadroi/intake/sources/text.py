"""Text encodings of CSV files: detect them, and transcode to UTF-8 for the engine.

Chinese Excel saves CSV as GBK (GB18030 is its superset); Excel's "Unicode text" is
UTF-16 with a byte-order mark. DuckDB reads UTF-8 only (its encodings extension cannot
be installed offline), so any other encoding is transcoded in chunks to a temporary
UTF-8 file: memory stays flat whatever the file's size.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from leadroi.intake.messages import data_error

__all__ = ["detect_encoding", "utf8_file", "CHUNK"]

#: Bytes read at a time when checking or transcoding.
CHUNK = 1 << 22

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))

#: Tried in order when a file is not UTF-8 and carries no byte-order mark.
FALLBACKS = ("gb18030",)


def _is_utf8(codec: str) -> bool:
    return codecs.lookup(codec).name in ("utf-8", "utf-8-sig")


def _decode_problem(path: Path, codec: str) -> tuple[int, int] | None:
    """``(line, byte offset)`` of the first byte ``codec`` cannot decode, else None."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines, offset = 1, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = max(exc.start, 0)
                return lines + chunk.count(b"\n", 0, bad), offset + bad
            lines += chunk.count(b"\n")
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines, offset
    return None


def detect_encoding(path: str | Path, declared: str | None = None) -> str:
    """The encoding of a text file: ``declared`` if given, else from its byte-order mark,
    else UTF-8 if every byte decodes as UTF-8, else GB18030 if that decodes.

    Parameters
    ----------
    path : str or Path
    declared : str, optional
        The ``encoding:`` of the params file; checked, not guessed.

    Returns
    -------
    str
        A Python codec name (``utf-8``, ``utf-16``, ``gb18030`` ...).

    Raises
    ------
    DataError
        The file does not decode with the declared encoding, or with any tried.
    """
    path = Path(path)
    if declared:
        problem = _decode_problem(path, declared)
        if problem:
            raise data_error("bad_encoding", file=str(path), encoding=declared,
                             line=problem[0])
        return codecs.lookup(declared).name
    with open(path, "rb") as fh:
        head = fh.read(4)
    damaged = None
    for bom, codec in _BOMS:  # FF FE 00 00 is UTF-32's mark, or UTF-16's and a NUL
        if head.startswith(bom):
            problem = _decode_problem(path, codec)
            if problem is None:
                return codec
            damaged = damaged or (codec, problem[0])
    if damaged:
        raise data_error("bad_encoding", file=str(path), encoding=damaged[0],
                         line=damaged[1])
    utf8 = _decode_problem(path, "utf-8")
    if utf8 is None:
        return "utf-8"
    for codec in FALLBACKS:
        if _decode_problem(path, codec) is None:
            return codec
    raise data_error("unknown_encoding", file=str(path), line=utf8[0])


@contextmanager
def utf8_file(path: str | Path, encoding: str) -> Iterator[Path]:
    """The file itself when ``encoding`` is UTF-8, else a temporary UTF-8 copy
    (transcoded chunk by chunk, deleted on exit)."""
    path = Path(path)
    if _is_utf8(encoding):
        yield path
        return
    with TemporaryDirectory(prefix="leadroi-") as tmp:
        target = Path(tmp) / (path.stem + ".utf8.csv")
        decoder = codecs.getincrementaldecoder(encoding)()
        with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
            first = True
            while chunk := src.read(CHUNK):
                text = decoder.decode(chunk)
                dst.write(text.lstrip("\ufeff") if first else text)
                first = False
            dst.write(decoder.decode(b"", final=True))
        yield target
