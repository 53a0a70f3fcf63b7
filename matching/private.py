"""Folders and files only their owner can read: the state folder holds candidate data
(digests, the database), secrets (demo tokens, new users' credentials) and caches.

Folders this code creates get mode 0700 and files 0600, whatever the umask. A
folder that already existed keeps its mode: it is the user's, and tightening
it could break whatever else they keep there.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path | str) -> Path:
    """Create ``path`` and its missing parents as 0700; existing folders are left as they are."""
    path = Path(path).expanduser()
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # created by someone else in between: theirs, not ours to change
        # mkdir's mode passes through the umask; a umask never adds bits, but chmod
        # makes the result not depend on it at all.
        os.chmod(folder, DIR_MODE)
    return path


def create_private_file(path: Path | str) -> bool:
    """Create ``path`` empty with mode 0600 if it does not exist; True when it was created.

    For files another library then opens (SQLite): they keep the mode they were
    created with, and SQLite gives its -wal and -shm files the database's mode.
    """
    path = Path(path).expanduser()
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def private_opener(path: str, flags: int) -> int:
    """For ``open(path, mode, opener=private_opener)``: a new file is created 0600."""
    return os.open(path, flags, FILE_MODE)


def write_private_text(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` as a 0600 file, atomically (a reader sees the old or the new
    file). Replacing the file, rather than writing into it, also drops the wider mode
    an older version may have left on it."""
    path = Path(path).expanduser()
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
