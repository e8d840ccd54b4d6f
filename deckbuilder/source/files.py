"""Opening input files safely: only regular files, and never blocking on a named pipe or a device."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
         stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class NotRegularFile(Exception):
    """The path is a folder, pipe, socket or device, which deckbuilder never reads."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def open_regular(path: os.PathLike | str) -> BinaryIO:
    """Open a regular file for reading; raises NotRegularFile for anything else, OSError if it cannot be read."""
    # O_NONBLOCK: opening a named pipe with no writer would otherwise wait forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(KINDS.get(stat.S_IFMT(mode), "not a regular file"))
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")
