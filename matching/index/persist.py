"""The saved index's format name and version, and the fsync helpers that make a save durable."""

from __future__ import annotations

import os
from pathlib import Path

_FORMAT = "spoormatch-vector-index"
_FORMAT_VERSION = 1


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to fsync a directory; the rename still holds
    finally:
        os.close(fd)
