"""File helpers shared by every module that writes: atomic writes and checksums.

An output is written to a temporary file in the same folder and renamed into place, so a failed
or interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomair_pad(doel: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to `doel`; on success it replaces `doel`, on error it is removed."""
    doel = Path(doel)
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, tijdelijk = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
    os.close(fd)
    tijdelijk = Path(tijdelijk)
    try:
        yield tijdelijk
        os.replace(tijdelijk, doel)
    finally:
        tijdelijk.unlink(missing_ok=True)


def schrijf_tekst(doel: Path | str, tekst: str) -> None:
    with atomair_pad(doel) as tmp:
        tmp.write_text(tekst, encoding="utf-8")


def schrijf_bytes(doel: Path | str, data: bytes) -> None:
    with atomair_pad(doel) as tmp:
        tmp.write_bytes(data)


def sha256(pad: Path | str) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()
