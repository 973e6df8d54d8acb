"""The user's private cache folder, shared by the parse cache (load.py) and the build cache (cached_build.py).

A cache only saves time: reading one that is missing, damaged, oversized or not the user's gives
nothing, and writing one that the machine refuses (a full or read-only temp folder) is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path


def folder() -> Path | None:
    """The cache folder: in the temp folder, one per user, created private (0700) on first write; None without a temp folder."""
    try:
        return Path(tempfile.gettempdir()) / f"course-kit-cache-{os.getuid()}"
    except OSError:  # no usable temp folder: no cache
        return None


def read(path: Path, max_bytes: int) -> object | None:
    """What a cache file holds, when it is the user's own and no larger than max_bytes; None otherwise."""
    try:
        if path.parent.stat().st_uid != os.getuid() or path.stat().st_size > max_bytes:
            return None
        return pickle.loads(path.read_bytes())
    except Exception:  # whatever a damaged or missing cache raises, it is as if there were none
        return None


FOLDER_MAX_BYTES = 1 << 30  # every project a user builds leaves its caches here: the oldest go beyond this
_pruned = False  # the folder is pruned once per process, at its first write


def write(path: Path, data: object, max_bytes: int) -> None:
    """Replace a cache file whole, and remove the files of the kit's other versions ('<stem>-<version>.pickle').

    Data larger than max_bytes, which `read` would refuse, is not written at all.
    """
    global _pruned
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > max_bytes:
            return
        path.parent.mkdir(mode=0o700, exist_ok=True)
        temporary.write_bytes(blob)
        os.replace(temporary, path)
        for other_version in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.pickle"):
            if other_version != path:
                other_version.unlink(missing_ok=True)
        if not _pruned:
            _pruned = True
            prune(path.parent, FOLDER_MAX_BYTES, keep=path)
    except OSError:  # a full or read-only temp folder costs only time
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def prune(folder: Path, max_bytes: int, keep: Path) -> None:
    """Remove the least recently written files until the folder holds at most three quarters of max_bytes.

    Nothing is removed while the folder is within max_bytes; `keep`, just written, always stays.
    """
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):  # removed by another build meanwhile
                info = entry.stat(follow_symlinks=False)
                files.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    if total <= max_bytes:
        return
    for _, size, name in sorted(files):
        if total <= max_bytes * 3 // 4:
            break
        if name != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(name)
                total -= size


def digest(*parts) -> str:
    """A hash of values given as text or bytes: the key of an entry in the kit's caches."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        hashed.update(len(data).to_bytes(8, "little") + data)
    return hashed.hexdigest()
