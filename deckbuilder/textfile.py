"""Card files written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .package import current_umask


def write_atomically(path: Path, data: bytes) -> None:
    """Replace (or create) `path` with `data`; an existing file keeps its permissions."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
