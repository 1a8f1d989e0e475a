"""Where the app keeps its files, and how it writes them.

Folders are where each OS expects an application's files, as ``platformdirs`` knows them: the
config folder (profiles, window settings), the data folder (history, autosaves, crash logs) and the
cache folder (nothing that cannot be made again).  ``COMPOSER_CONFIG_DIR``, ``COMPOSER_DATA_DIR``
and ``COMPOSER_CACHE_DIR`` override them (tests point them at a temporary folder).  Earlier
versions used ``~/.config/composer`` and ``~/.local/share/composer`` on every OS;
:func:`move_from_old_places` moves what they left there, once.

Every write is atomic: the new content goes to a temporary file in the same folder, is flushed to
disk, then replaces the old file, so a crash mid-save leaves either the old file or the new one,
never a broken one.  A write killed midway leaves only its temporary file, which
:func:`remove_leftover_temporaries` clears at the next start; a damaged file is renamed by
:func:`set_aside`, never deleted.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from composer.core.fingerprint import fingerprint
from composer.core.units import byte_count, byte_limit

APP_NAME = "composer"

#: Our choice: how old a temporary file must be before it counts as left over.  A write lasts far
#: less than a second, so one this old belongs to a write that was killed, never to a write that
#: another window is making right now.
LEFTOVER_AGE_S = 60

#: which OS's conventions the folders follow (the running one; a test may pass another's class)
platform_dirs: type[platformdirs.PlatformDirsABC] = platformdirs.PlatformDirs


def _override(var: str) -> Path | None:
    value = os.environ.get(var)
    return Path(value) if value else None


def config_dir() -> Path:
    """Profiles and window settings.  On Windows they roam with the user's account (``%APPDATA%``);
    the data and cache folders stay on the machine (``%LOCALAPPDATA%``)."""
    return _override("COMPOSER_CONFIG_DIR") or platform_dirs(APP_NAME, appauthor=False, roaming=True).user_config_path


def data_dir() -> Path:
    """The publish history, autosaves and crash logs."""
    return _override("COMPOSER_DATA_DIR") or platform_dirs(APP_NAME, appauthor=False).user_data_path


def cache_dir() -> Path:
    """Files the app can make again; deleting the folder loses nothing."""
    return _override("COMPOSER_CACHE_DIR") or platform_dirs(APP_NAME, appauthor=False).user_cache_path


# --- the one-time move from the folders of earlier versions ---


def _old_xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / APP_NAME


def old_places() -> list[tuple[Path, Path]]:
    """(where earlier versions kept a folder, where it belongs now), for each folder that no
    override pins (on Linux the two are usually the same folder)."""
    pairs = []
    if not _override("COMPOSER_CONFIG_DIR"):
        pairs.append((_old_xdg("XDG_CONFIG_HOME", ".config"), config_dir()))
    if not _override("COMPOSER_DATA_DIR"):
        pairs.append((_old_xdg("XDG_DATA_HOME", ".local/share"), data_dir()))
    return pairs


def move_from_old_places() -> list[str]:
    """Move the files that earlier versions left in ``~/.config/composer`` and
    ``~/.local/share/composer`` to where this OS expects them, and say what was done: one sentence
    per folder moved, none when there was nothing to move (every later start).

    A folder moves with one rename when it can, so a crash leaves it whole in one place or the
    other.  Into a folder that already has files, each file moves on its own (a folder both have is
    merged the same way), and one that would replace a file of the same name keeps both: the old
    one gets ``.from-old-folder`` added.  Across
    file systems a file is copied under a temporary name, renamed into place, and only then removed
    from the old folder.  Nothing is deleted before its copy is complete.
    """
    notes = []
    for old, new in old_places():
        note = _move_folder(old, new)
        if note:
            notes.append(note)
    return notes


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _move_folder(old: Path, new: Path) -> str:
    if not old.is_dir() or old.is_symlink() or _same_folder(old, new):
        return ""
    try:
        entries = sorted(old.iterdir())
        if not entries:
            old.rmdir()
            return ""
        if not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            _move(old, new)
            return f"Your files moved from {old} to {new}, where this system keeps them."
        kept_both: list[str] = []
        _merge(old, new, new, kept_both)
    except FileNotFoundError:  # another start of composer moved the folder first
        return ""
    except OSError as exc:
        return f"Your files in {old} could not all be moved to {new} ({exc.strerror or exc}); what was not moved is still in {old}."
    both = f"; where both folders had a file of the same name, the old one is kept as {', '.join(kept_both)}" if kept_both else ""
    return f"Your files moved from {old} to {new}, where this system keeps them{both}."


#: the files SQLite keeps beside a database named X: X-wal, X-shm, X-journal
#: (https://www.sqlite.org/tempfiles.html); each belongs to its database and moves with it
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _merge(old: Path, new: Path, top: Path, kept_both: list[str]) -> None:
    """Move what ``old`` holds into the folder ``new``: a folder both have (``autosaves/``) is merged
    the same way, so its files stay where the app looks for them; a file both have keeps both, the
    old one's name (relative to ``top``) added to ``kept_both``.  A database's SQLite companions
    (``-wal``, ``-shm``, ``-journal``) move with it under its new name, never beside another
    database of the same name, which would then read changes that are not its own."""
    entries = sorted(old.iterdir())
    names = {entry.name for entry in entries}
    for entry in entries:
        if _companion_of(entry.name) in names:
            continue  # moved with its database
        target = new / entry.name
        if entry.is_dir() and not entry.is_symlink() and target.is_dir() and not target.is_symlink():
            _merge(entry, target, top, kept_both)
            continue
        companions = [suffix for suffix in SQLITE_COMPANIONS if entry.name + suffix in names]
        clashes = [entry.name, *(entry.name + suffix for suffix in companions)]
        database = _companion_of(entry.name)
        if database is not None:  # its database stayed behind: it never joins another of that name
            clashes.append(database)
        if any(_taken(new / name) for name in clashes):
            target = _free_name(new / f"{entry.name}.from-old-folder", companions)
            kept_both.append(str(target.relative_to(top)))
        try:
            # the companions first: a database never sits in its new place without its changes
            for suffix in companions:
                _move(old / (entry.name + suffix), target.with_name(target.name + suffix))
            _move(entry, target)
        except FileNotFoundError:  # another start of composer moved it first
            continue
    try:
        old.rmdir()
    except OSError:  # something arrived meanwhile: it stays, the next start moves it
        pass


def _companion_of(name: str) -> str | None:
    """The database a SQLite companion file belongs to ("history.sqlite" for
    "history.sqlite-wal"), or None for any other name."""
    for suffix in SQLITE_COMPANIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return None


def _taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _free_name(path: Path, companions: tuple[str, ...] | list[str] = ()) -> Path:
    """``path``, or ``path-2``, ``path-3``...: the first name free together with its companions'."""
    number = 1
    candidate = path
    while any(_taken(candidate.with_name(candidate.name + suffix)) for suffix in ("", *companions)):
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` (neither a file nor a folder is ever half there); across file
    systems copy to a temporary name beside ``target``, rename that, then remove ``source``."""
    try:
        os.rename(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    temporary = target.with_name(f".{target.name}.moving-{os.getpid()}.tmp")
    if source.is_dir():
        shutil.copytree(source, temporary, symlinks=True)
    else:
        shutil.copy2(source, temporary, follow_symlinks=False)
    os.rename(temporary, target)
    if source.is_dir():
        shutil.rmtree(source)
    else:
        source.unlink()


class RefusedWrite(OSError):
    """A write :func:`atomic_write` refuses before it writes a byte, as an editor would: nothing
    changes.  Its message names the file and says why, so it reads whole on its own ("/x/plan.json
    is read-only"); what to do instead (another name) is for the caller to add."""

    def __str__(self) -> str:
        return self.strerror


def why_not_written(path: str | Path, exc: OSError, instead: str) -> str:
    """Why ``path`` was not written, in a person's words: a refusal says it whole and is followed by
    ``instead`` (what to do: "Save As to another name"); any other failure names the file and the
    system's reason."""
    return f"{exc}; {instead}" if isinstance(exc, RefusedWrite) else f"{path}: {exc.strerror or exc}"


class ReadOnlyFile(RefusedWrite, PermissionError):
    """A write that would replace a read-only file: it is refused, and the file stays as it was."""

    def __init__(self, path: Path):
        super().__init__(errno.EACCES, f"{path} is read-only", str(path))


class LinkLeadsNowhere(RefusedWrite, FileNotFoundError):
    """A write through a symbolic link to a folder that does not exist: it is refused, and no
    folder is made where the link points, a place the user never named."""

    def __init__(self, link: Path, folder: Path):
        super().__init__(errno.ENOENT, f"{folder} (where {link} points) does not exist", str(link))


class UnreadableFile(ValueError):
    """A file the user named that cannot be read as text; the message names it and says why."""


@dataclass(frozen=True)
class SeenFile:
    """A file the user named as this window last read or wrote it, to tell at the next save
    whether another window or program has written it since (:func:`changed_since`).

    ``content`` fingerprints its bytes (their length and
    :func:`~composer.core.fingerprint.fingerprint`), so that a file touched, or saved again with the
    same bytes, does not count as changed; None when the file was no regular file of at most the
    size the reader allows.  ``state``, its inode, size and modification time, tells only when the
    bytes are unknown; None when it is unknown too."""

    state: tuple[int, int, int] | None
    content: tuple[int, int] | None

    @classmethod
    def of(cls, path: Path, limit: int) -> SeenFile | None:
        """The file at ``path`` (through its links) as it is now; None when there is none.  Its
        bytes are read only when it is a regular file of at most ``limit`` bytes (no pipe, no
        device, nothing larger than what the reader would read itself)."""
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except (OSError, ValueError):  # ValueError: a name no file can have (a null byte)
            return _state_only(path)
        try:
            info = os.fstat(descriptor)
            content = None
            if stat.S_ISREG(info.st_mode) and info.st_size <= limit:
                with open(descriptor, "rb", closefd=False) as handle:
                    content = _content(handle.read(limit + 1), limit)
            return cls((info.st_ino, info.st_size, info.st_mtime_ns), content)
        except OSError:
            return _state_only(path)
        finally:
            os.close(descriptor)

    @classmethod
    def written(cls, path: Path, data: bytes | str, limit: int) -> SeenFile:
        """The file at ``path`` just after this program wrote ``data`` to it.  When another program
        wrote it in the meantime, what the file holds is not taken for ours: the next save asks."""
        ours = _content(data.encode("utf-8") if isinstance(data, str) else data, limit)
        now = cls.of(path, limit)
        return now if now is not None and now.content == ours else cls(None, ours)

    def to_json(self) -> dict[str, Any]:
        """For a file that keeps what a window had open (its autosave)."""
        return {"state": list(self.state) if self.state else None, "content": list(self.content) if self.content else None}

    @classmethod
    def from_json(cls, data: Any) -> SeenFile | None:
        """What :meth:`to_json` wrote; None when it is not that (unknown: a save asks)."""
        if not isinstance(data, dict):
            return None
        state, content = data.get("state"), data.get("content")
        return cls(
            tuple(state) if _whole_numbers(state, 3) else None,  # type: ignore[arg-type]
            tuple(content) if _whole_numbers(content, 2) else None,  # type: ignore[arg-type]
        )


def changed_since(path: Path, seen: SeenFile | None, limit: int) -> bool:
    """True when the file at ``path`` may hold what someone else wrote since it was ``seen``
    (None: no file was there, or it is unknown what was).  A file deleted meanwhile has not changed
    (saving brings it back, and nothing is lost); one whose bytes are the ones seen has not either,
    however its inode, size or time changed."""
    now = SeenFile.of(path, limit)
    if now is None:
        return False
    if seen is None:
        return True
    if now.content is not None and seen.content is not None:
        # the bytes, whatever the state says: a file rewritten in place with as many bytes within
        # one tick of the kernel's clock keeps its state ("the kernel has always used coarse time
        # values to stamp inodes", https://docs.kernel.org/filesystems/multigrain-ts.html)
        return now.content != seen.content
    return seen.state is None or now.state != seen.state


def _content(data: bytes, limit: int) -> tuple[int, int] | None:
    if len(data) > limit:
        return None
    # latin-1 gives each byte a character of its own, so different bytes make different texts
    return len(data), fingerprint(data.decode("latin-1"))


def _state_only(path: Path) -> SeenFile | None:
    """A file that cannot be opened for reading (no file: None) is known by its state alone."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return SeenFile((info.st_ino, info.st_size, info.st_mtime_ns), None)


def _whole_numbers(value: Any, count: int) -> bool:
    return isinstance(value, list) and len(value) == count and all(type(n) is int and n >= 0 for n in value)


def as_named(path: str | Path) -> Path:
    """``path`` as the app keeps a file the user named (the window's title, the recent files): its
    folders absolute and canonical, so ``..`` or a linked folder cannot make one file two entries,
    and its own name as the user chose it, so a link to a draft is still called by the link's name
    (a save through it goes through the link again: :func:`atomic_write` follows it)."""
    path = Path(path)
    return path.absolute().parent.resolve() / path.name


def read_user_text(path: Path, what: str, limit: int) -> str:
    """The UTF-8 text of ``path``, a file the user named as a ``what`` ("draft file", "test plan"),
    within ``limit`` bytes; else :class:`UnreadableFile` saying why.  A folder, a pipe or a device
    is refused before it is read: a pipe may never end, or never start, and a device's size says
    nothing of what reading it would bring.  The file is opened once and judged by what was opened
    (without waiting for a pipe's writer), so one swapped in meanwhile is judged too, and no more
    than ``limit`` bytes are read from a file that grows."""
    too_big = f"a {what} is at most {byte_limit(limit)} (is this the right file?)"
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(descriptor)
            if stat.S_ISDIR(info.st_mode):
                raise UnreadableFile(f"{path} is a folder, not a {what}")
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFile(f"{path} is not a regular file (a device or a pipe?), so it cannot be a {what}")
            if info.st_size > limit:
                raise UnreadableFile(f"{path} is {byte_count(info.st_size)}; {too_big}")
            with open(descriptor, "rb", closefd=False) as handle:
                raw = handle.read(limit + 1)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        raise UnreadableFile(f"{path} does not exist") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder, not a {what}") from None
    except OSError as exc:
        raise UnreadableFile(f"{path} cannot be read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise UnreadableFile(f"{path} is more than {byte_count(limit)}; {too_big}")
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded); is it a {what}?") from None
    if "\x00" in text:
        raise UnreadableFile(f"{path} contains binary data; is it a {what}?")
    return text


def atomic_write(path: Path, data: bytes | str, mode: int | None = 0o600) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    As an editor saves: a symbolic link is followed (:func:`_followed`), so the file it points to is
    replaced (in that file's folder) and the link stays a link; a file that exists keeps its
    permission bits (its new content is never readable by more people meanwhile), and one
    that is read-only is not replaced (:class:`ReadOnlyFile`).  A new file gets ``mode``; ``None``
    leaves it to the user's umask, as for any file a program creates (the files a user names: drafts,
    plans, exports).

    The missing folders that ``path`` names are made (the app's own: its config, data and cache
    folders and the folders inside them); a folder that only a link leads to is not
    (:class:`LinkLeadsNowhere`).
    """
    named = Path(path)
    path = _followed(named)
    if isinstance(data, str):
        data = data.encode("utf-8")
    existing = _refuse_to_replace(path)
    nowhere = _link_to_nowhere(named, path)
    if nowhere is not None:
        raise nowhere
    path.parent.mkdir(parents=True, exist_ok=True)
    # 0o666 is what open() asks for a new file: the umask takes away what the user does not give
    # others; over an existing file it starts private and gets that file's bits once written
    fd, tmp = _new_temporary(path, 0o666 if mode is None and existing is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            _keep_owner_and_mode(tmp, existing)
        elif mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


#: how many links a path may go through, as Linux's own limit (MAXSYMLINKS in
#: https://github.com/torvalds/linux/blob/master/include/linux/namei.h)
MAX_LINKS = 40


def _followed(path: Path) -> Path:
    """The file a save to ``path`` replaces: ``path``, or the file its symbolic links lead to.  A
    link is followed only where Linux's ``fs.protected_symlinks`` would follow it for us
    (https://docs.kernel.org/admin-guide/sysctl/fs.html#protected-symlinks): one in a sticky folder
    that everyone may write to, such as /tmp, only if we or that folder's owner made it.  Another
    user's link there could otherwise make a save replace a file of their choosing."""
    for _ in range(MAX_LINKS):
        try:
            link = os.lstat(path)
        except OSError:
            break  # nothing there yet
        if not stat.S_ISLNK(link.st_mode):
            break
        folder = os.stat(path.parent)
        shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
        if shared and link.st_uid not in (os.geteuid(), folder.st_uid):
            raise OSError(errno.EACCES, f"{path} is another user's link in a shared folder; it is not followed", str(path))
        path = path.parent / os.readlink(path)
    else:
        raise OSError(errno.ELOOP, f"{path} goes through too many links", str(path))
    return Path(os.path.realpath(path))


def _link_to_nowhere(named: Path, target: Path) -> LinkLeadsNowhere | None:
    """The refusal a write to ``named`` (``target`` once its links are followed) meets when the
    folder it needs could only be made where a link points: ``named`` is a link into a folder that
    is not there, or a folder on its way is a link that leads nowhere.  None when the folder is
    there, or when the folders missing are ones that ``named`` itself names."""
    if target.parent.is_dir():
        return None
    if named.is_symlink() and not os.path.lexists(target.parent):
        return LinkLeadsNowhere(named, target.parent)
    folder = named.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    if folder.is_symlink() and not folder.exists():
        return LinkLeadsNowhere(folder, Path(os.path.realpath(folder)))
    return None


def check_replaceable(path: str | Path) -> None:
    """Raise what :func:`atomic_write` would raise before writing a byte to ``path``: it is
    read-only (:class:`ReadOnlyFile`), it is not a regular file, or it goes through a link to a
    folder that is not there (:class:`LinkLeadsNowhere`).  Lets a command refuse a target before it
    does the work whose result goes there.  A folder is refused too (the write would fail)."""
    named = Path(path)
    target = _followed(named)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder", str(path))
    _refuse_to_replace(target)
    nowhere = _link_to_nowhere(named, target)
    if nowhere is not None:
        raise nowhere


def _refuse_to_replace(path: Path) -> os.stat_result | None:
    """The status of the file ``path`` (a link already followed) that a write will replace, or None
    for a new file; raises when it must not be replaced."""
    try:
        existing = os.stat(path)
    except OSError:  # a new file (or a path that cannot be one: the write says why)
        return None
    if stat.S_ISREG(existing.st_mode) and _read_only(path, existing):
        raise ReadOnlyFile(path)
    if not stat.S_ISREG(existing.st_mode) and not stat.S_ISDIR(existing.st_mode):
        # a device, a pipe or a socket: renaming over it would replace it with a plain file (as
        # root, /dev/full itself); a folder is refused by the rename
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return existing


def _read_only(path: Path, existing: os.stat_result) -> bool:
    """Whether ``path`` is read-only to us.  The mode bits decide first: root may write any file, so
    ``os.access`` says yes to root even when nobody has write permission (0o444), which is how a
    user marks a file read-only.  For everyone else ``os.access`` also catches a file only another
    user may write.  It is vim's rule (``!(perm & 0222) || mch_access(fname, W_OK)`` in readfile(),
    https://github.com/vim/vim/blob/master/src/fileio.c)."""
    return not existing.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _new_temporary(path: Path, mode: int) -> tuple[int, str]:
    """A new, empty file beside ``path``, named as :func:`remove_leftover_temporaries` expects, open
    for writing.  Unlike ``tempfile.mkstemp``, which always makes it 0o600, it asks for ``mode``,
    so that a new file can have the permissions the umask gives."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        tmp = str(path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp"))
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:  # another write's name: draw again
            continue


def _keep_owner_and_mode(tmp: str, existing: os.stat_result) -> None:
    """Give the new file the old one's owner (when this process may: root, or a group the user is
    in) and permission bits, so that replacing a file changes only its content."""
    if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != _owner(tmp):
        try:
            os.chown(tmp, existing.st_uid, existing.st_gid)
        except OSError:
            pass
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))


def _owner(tmp: str) -> tuple[int, int]:
    made = os.stat(tmp)
    return made.st_uid, made.st_gid


def _temporary_pattern(path: Path) -> str:
    """The names :func:`atomic_write` gives its temporary files for ``path``."""
    return f".{glob.escape(path.name)}.*.tmp"


def remove_leftover_temporaries(path: Path, older_than_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Remove the temporary files that killed writes of ``path`` left beside it, and return them.

    They never hold the only copy of anything: ``path`` is replaced only by a complete file.
    """
    removed = []
    cutoff = time.time() - older_than_s
    for leftover in Path(path).parent.glob(_temporary_pattern(Path(path))):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
        except FileNotFoundError:  # another start removed it first
            continue
    return removed


def set_aside(path: Path, label: str, name: str = "") -> Path:
    """Rename ``path`` to ``<name>.<label>-<time>`` beside it (``-2``, ``-3``... when that name is
    taken: two set-asides in one second never overwrite each other) and return the new path.
    ``name`` defaults to the file's own."""
    path = Path(path)
    name = f"{name or path.name}.{label}-{time.strftime('%Y%m%d-%H%M%S')}"
    number = 1
    while True:
        aside = path.with_name(name if number == 1 else f"{name}-{number}")
        number += 1
        if aside.exists():
            continue
        try:
            # a hard link is made only under a free name: a set-aside that another process made
            # since the check above is never overwritten
            os.link(path, aside)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: the check above has to do
            os.replace(path, aside)
            return aside
        os.unlink(path)
        return aside


def unwritable_reason(folder: Path) -> str:
    """Why files cannot be written in ``folder`` (created when missing), or "" when they can.

    The reason is the end of a sentence that names the folder: "/x/composer is read-only".
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"{folder} is a file, not a folder"
    except OSError as exc:
        return f"{folder} cannot be created ({exc.strerror or exc})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is read-only"
    return ""
