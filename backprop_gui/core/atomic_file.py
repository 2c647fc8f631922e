"""Files written whole or not at all: a temporary file beside the target, then a rename,
so that a crash or a full disk never leaves half a project, half a weights file or half a
script. The temporary file is made as a plain open() would make it (0o666 less the
umask): a lab a teacher saves on a shared machine is readable by the students, as any
file they save is (tempfile.mkstemp would make it 0o600, and the rename keeps that)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file to write `path` with; it replaces `path` if the block ends
    without an exception, and is removed otherwise."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with (os.fdopen(fd, "wb") if binary
              else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
