"""The app's folders and how it writes into them: set-asides that never overwrite each other, the
temporary files of killed writes cleared, a folder that cannot be written told apart, the folders each
OS expects and the one-time move from the old ones."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import platformdirs.unix
import pytest
from platformdirs.macos import MacOS

from composer.core.storage import files
from tests.helpers.environment import require


def test_set_asides_in_one_second_never_overwrite_each_other(tmp_path):
    path = tmp_path / "autosave.json"
    asides = []
    for content in (b"first", b"second", b"third"):
        path.write_bytes(content)
        asides.append(files.set_aside(path, "corrupt"))
    assert not path.exists()
    assert [p.read_bytes() for p in asides] == [b"first", b"second", b"third"]
    assert len({p.name for p in asides}) == 3
    assert all(p.parent == tmp_path and p.name.startswith("autosave.json.corrupt-") for p in asides)


def test_a_set_aside_may_take_another_files_name(tmp_path):
    path = tmp_path / "autosave.recovered.json"
    path.write_text("x")
    aside = files.set_aside(path, "corrupt", name="autosave.json")
    assert aside.name.startswith("autosave.json.corrupt-") and aside.read_text() == "x"


def test_leftover_temporaries_of_killed_writes_are_removed(tmp_path):
    target = tmp_path / "autosave.json"
    files.atomic_write(target, "{}")
    old = time.time() - files.LEFTOVER_AGE_S - 5
    leftovers = [tmp_path / f".autosave.json.{tag}.tmp" for tag in ("a1b2c3", "zz_9", "k")]
    for leftover in leftovers:
        leftover.write_bytes(b"half a draft")
        os.utime(leftover, (old, old))
    in_progress = tmp_path / ".autosave.json.now.tmp"  # another window writing right now
    in_progress.write_bytes(b"being written")
    others = [tmp_path / ".profiles.json.x.tmp", tmp_path / "autosave.json.corrupt-20260101-000000", tmp_path / ".autosave.json.tmp.keep"]
    for other in others:
        other.write_bytes(b"not ours to remove")
        os.utime(other, (old, old))

    assert sorted(files.remove_leftover_temporaries(target)) == sorted(leftovers)
    assert not any(p.exists() for p in leftovers)
    assert in_progress.exists() and target.read_text() == "{}"
    assert all(p.exists() for p in others)
    assert files.remove_leftover_temporaries(target) == []


def test_unwritable_folders_are_told_apart(tmp_path):
    assert files.unwritable_reason(tmp_path / "new" / "composer") == ""
    assert (tmp_path / "new" / "composer").is_dir()
    a_file = tmp_path / "data"
    a_file.write_text("")
    assert files.unwritable_reason(a_file) == f"{a_file} is a file, not a folder"
    assert files.unwritable_reason(a_file / "composer") == f"{a_file / 'composer'} cannot be created (Not a directory)"


def test_a_read_only_folder_is_told_apart(tmp_path, monkeypatch):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes into any folder whatever its mode: the check it answers is stood in for
        monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    try:
        assert files.unwritable_reason(folder) == f"{folder} is read-only"
    finally:
        folder.chmod(0o755)


def test_a_file_the_user_named_keeps_its_own_name_in_canonical_folders(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "link.json").symlink_to("elsewhere.json")
    monkeypatch.chdir(tmp_path / "real")
    assert files.as_named(Path("../linked/./link.json")) == tmp_path / "real" / "link.json"
    assert files.as_named("link.json") == tmp_path / "real" / "link.json"


def test_a_file_over_its_limit_says_the_limit_in_bytes_and_megabytes(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"x" * (2**20 + 1))
    with pytest.raises(files.UnreadableFile) as refused:
        files.read_user_text(path, "test plan", 2**20)
    assert str(refused.value) == f"{path} is 1,048,577 bytes; a test plan is at most 1,048,576 bytes (1 MB) (is this the right file?)"


# --- replacing a file the user names: links, modes, read-only files ------------------------------


def test_a_link_is_followed_and_stays_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "target.json"
    target.write_text('{"UID": "orig"}')
    link = tmp_path / "link.json"
    link.symlink_to(Path("elsewhere") / "target.json")
    files.atomic_write(link, '{"UID": "new"}', mode=None)
    assert link.is_symlink() and os.readlink(link) == str(Path("elsewhere") / "target.json")
    assert target.read_text() == '{"UID": "new"}'
    # the temporary file was made beside the target: the rename never crosses folders
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "link.json"]
    assert [p.name for p in elsewhere.iterdir()] == ["target.json"]


def test_a_link_to_a_file_not_there_yet_makes_it(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "target.json")
    files.atomic_write(link, "{}", mode=None)
    assert link.is_symlink() and (tmp_path / "target.json").read_text() == "{}"


def test_a_link_to_a_folder_not_there_is_refused_and_no_folder_is_made(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(Path("gone") / "deeper" / "draft.json")
    with pytest.raises(files.LinkLeadsNowhere) as refused:
        files.atomic_write(link, "{}", mode=None)
    assert str(refused.value) == f"{tmp_path / 'gone' / 'deeper'} (where {link} points) does not exist"
    assert isinstance(refused.value, FileNotFoundError) and isinstance(refused.value, files.RefusedWrite)
    assert link.is_symlink() and [p.name for p in tmp_path.iterdir()] == ["link.json"]


def test_a_folder_link_that_leads_nowhere_is_refused_and_no_folder_is_made(tmp_path):
    (tmp_path / "drafts").symlink_to(tmp_path / "unmounted" / "drafts")
    for path in (tmp_path / "drafts" / "draft.json", tmp_path / "drafts" / "spring" / "draft.json"):
        with pytest.raises(files.LinkLeadsNowhere) as refused:
            files.atomic_write(path, "{}", mode=None)
        assert str(refused.value) == f"{tmp_path / 'unmounted' / 'drafts'} (where {tmp_path / 'drafts'} points) does not exist"
    assert [p.name for p in tmp_path.iterdir()] == ["drafts"]


def test_the_folders_a_path_names_are_made_through_links_that_lead_somewhere(tmp_path):
    # the app's own folders: the data folder and its autosaves, made on the first write
    files.atomic_write(tmp_path / "data" / "composer" / "autosaves" / "window-1.json", "{}")
    assert (tmp_path / "data" / "composer" / "autosaves" / "window-1.json").read_text() == "{}"
    # a data folder reached through a link (a home folder moved to another disk, say)
    (tmp_path / "disk").mkdir()
    (tmp_path / "home").symlink_to(tmp_path / "disk")
    files.atomic_write(tmp_path / "home" / "composer" / "crashes" / "crash.txt", "boom")
    assert (tmp_path / "disk" / "composer" / "crashes" / "crash.txt").read_text() == "boom"
    assert (tmp_path / "home").is_symlink()


@pytest.mark.parametrize("new_file_mode", [None, 0o644, 0o600])
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_replacing_a_file_keeps_its_mode(tmp_path, mode, new_file_mode):
    path = tmp_path / "draft.json"
    path.write_text("{}")
    path.chmod(mode)
    files.atomic_write(path, '{"UID": "x"}', mode=new_file_mode)
    assert path.read_text() == '{"UID": "x"}'
    assert path.stat().st_mode & 0o7777 == mode


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_the_user_names_gets_what_the_umask_allows(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        files.atomic_write(tmp_path / "draft.json", "{}", mode=None)
        files.atomic_write(tmp_path / "profiles.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "draft.json").stat().st_mode & 0o777 == expected
    assert (tmp_path / "profiles.json").stat().st_mode & 0o777 == 0o600  # the app's own files stay private


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_not_replaced(tmp_path, mode):
    # decided by the mode bits, so this holds when the tests run as root (as CI does), for whom
    # permission bits do not stop a write
    path = tmp_path / "draft.json"
    path.write_text('{"UID": "orig"}')
    path.chmod(mode)
    link = tmp_path / "link.json"
    link.symlink_to(path)
    for name in (path, link):
        with pytest.raises(files.ReadOnlyFile) as refused:
            files.atomic_write(name, '{"UID": "new"}', mode=None)
        assert str(refused.value) == f"{path} is read-only"
        assert isinstance(refused.value, PermissionError) and isinstance(refused.value, files.RefusedWrite)
    assert path.read_text() == '{"UID": "orig"}'
    assert path.stat().st_mode & 0o7777 == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.json", "link.json"]


def test_a_device_or_a_pipe_is_not_replaced_by_a_file(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(OSError) as refused:
        files.atomic_write(pipe, "{}", mode=None)
    assert refused.value.strerror == "not a regular file"
    assert pipe.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe.json"]


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="runs the write as another user: needs root and setpriv")
def test_as_another_user_a_read_only_file_or_one_they_may_not_write_is_not_replaced(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="composer-shared-"))
    try:
        folder.chmod(0o777)  # anyone may make and rename files here: only the file's own mode protects it
        read_only = folder / "read-only.json"
        read_only.write_text("orig")
        read_only.chmod(0o444)
        os.chown(read_only, NOBODY, NOBODY)
        roots = folder / "roots.json"  # the user's own read-only file, and root's writable one
        roots.write_text("orig")
        roots.chmod(0o644)
        script = (
            "import sys\n"
            "from composer.core.storage import files\n"
            "for name in sys.argv[1:]:\n"
            "    try:\n"
            "        files.atomic_write(name, 'new', mode=None)\n"
            "    except files.ReadOnlyFile as exc:\n"
            "        print(exc)\n"
        )
        done = subprocess.run(
            ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, "-c", script, str(read_only), str(roots)],
            capture_output=True, text=True, timeout=60, cwd=Path(files.__file__).parents[3], check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [f"{read_only} is read-only", f"{roots} is read-only"]
        assert read_only.read_text() == "orig" and roots.read_text() == "orig"
        assert read_only.stat().st_mode & 0o777 == 0o444 and roots.stat().st_uid == 0
    finally:
        shutil.rmtree(folder)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_file_replaced_for_another_user_stays_theirs(tmp_path):
    path = tmp_path / "draft.json"
    path.write_text("{}")
    path.chmod(0o640)
    os.chown(path, NOBODY, NOBODY)
    files.atomic_write(path, '{"UID": "x"}', mode=None)
    made = path.stat()
    assert (made.st_uid, made.st_gid, made.st_mode & 0o7777) == (NOBODY, NOBODY, 0o640)


# --- folders where each OS expects them, and the one-time move from the old places ---


@pytest.fixture
def macos(monkeypatch, isolated_home):
    """The folders as macOS has them (platformdirs' macOS rules only join paths under HOME, so they
    run here): there the old places and the new ones differ, as on Windows.  No XDG variable is set,
as on most Macs (platformdirs follows them on macOS too)."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var)
    monkeypatch.setattr(files, "platform_dirs", MacOS)
    return isolated_home / "Library/Application Support/composer"


def _old_files(home):
    """What an earlier version left: profiles and settings in ~/.config, history and an autosave
    (with its write-ahead log beside the database) in ~/.local/share."""
    config, data = home / ".config/composer", home / ".local/share/composer"
    content = {
        config / "profiles.json": b'{"profiles": []}',
        config / "composer.ini": b"[General]\nprofile=Sandbox\n",
        data / "history.sqlite": b"SQLite format 3\x00...",
        data / "history.sqlite-wal": b"wal",
        data / "autosave" / "one.json": b'{"draft": {}}',
    }
    for path, data_bytes in content.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data_bytes)
    return content


def test_the_folders_follow_the_os_and_the_overrides(monkeypatch, isolated_home, macos):
    assert files.config_dir() == files.data_dir() == macos
    assert files.cache_dir() == isolated_home / "Library/Caches/composer"
    monkeypatch.setattr(files, "platform_dirs", platformdirs.unix.Unix)
    monkeypatch.setenv("XDG_DATA_HOME", str(isolated_home / "elsewhere"))
    assert files.data_dir() == isolated_home / "elsewhere/composer"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert files.config_dir() == isolated_home / ".config/composer"
    assert files.data_dir() == isolated_home / ".local/share/composer"
    assert files.cache_dir() == isolated_home / ".cache/composer"
    for var, folder in (("COMPOSER_CONFIG_DIR", files.config_dir), ("COMPOSER_DATA_DIR", files.data_dir), ("COMPOSER_CACHE_DIR", files.cache_dir)):
        monkeypatch.setenv(var, str(isolated_home / var))
        assert folder() == isolated_home / var


def test_files_in_the_old_places_move_once_and_all_of_them(isolated_home, macos):
    content = _old_files(isolated_home)
    notes = files.move_from_old_places()
    assert notes == [
        f"Your files moved from {isolated_home / '.config/composer'} to {macos}, where this system keeps them.",
        f"Your files moved from {isolated_home / '.local/share/composer'} to {macos}, where this system keeps them.",
    ]
    for old_path, data_bytes in content.items():
        relative = old_path.relative_to(isolated_home / (".config/composer" if ".config" in old_path.parts else ".local/share/composer"))
        assert (macos / relative).read_bytes() == data_bytes
    assert not (isolated_home / ".config/composer").exists() and not (isolated_home / ".local/share/composer").exists()
    assert files.move_from_old_places() == []  # once


def test_a_file_in_both_places_keeps_both(isolated_home, macos):
    _old_files(isolated_home)
    macos.mkdir(parents=True)
    (macos / "profiles.json").write_bytes(b"the newer profiles")
    (notes,) = [n for n in files.move_from_old_places() if ".config" in n]
    assert "the old one is kept as profiles.json.from-old-folder" in notes
    assert (macos / "profiles.json").read_bytes() == b"the newer profiles"
    assert (macos / "profiles.json.from-old-folder").read_bytes() == b'{"profiles": []}'
    assert (macos / "composer.ini").exists() and (macos / "history.sqlite").exists()


def test_a_folder_in_both_places_is_merged_where_the_app_looks(isolated_home, macos):
    old = isolated_home / ".local/share/composer/autosaves"
    old.mkdir(parents=True)
    (old / "crashed.json").write_bytes(b"an old window's draft")
    (old / "same.json").write_bytes(b"the old same")
    (macos / "autosaves").mkdir(parents=True)
    (macos / "autosaves/same.json").write_bytes(b"the new same")
    (note,) = files.move_from_old_places()
    assert "the old one is kept as autosaves/same.json.from-old-folder" in note
    assert sorted(p.name for p in (macos / "autosaves").iterdir()) == ["crashed.json", "same.json", "same.json.from-old-folder"]
    assert (macos / "autosaves/crashed.json").read_bytes() == b"an old window's draft"
    assert (macos / "autosaves/same.json").read_bytes() == b"the new same"
    assert (macos / "autosaves/same.json.from-old-folder").read_bytes() == b"the old same"
    assert not (isolated_home / ".local/share/composer").exists()


def test_across_file_systems_a_file_is_complete_before_the_old_one_goes(isolated_home, macos, monkeypatch):
    content = _old_files(isolated_home)
    renames = []
    real_rename = os.rename

    def rename(source, target):
        renames.append(Path(target).name)
        if ".moving-" not in str(source):  # only our temporary copy is on the new file system
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    assert len(files.move_from_old_places()) == 2
    assert sorted(p.name for p in macos.iterdir()) == ["autosave", "composer.ini", "history.sqlite", "history.sqlite-wal", "profiles.json"]
    assert (macos / "autosave/one.json").read_bytes() == content[isolated_home / ".local/share/composer/autosave/one.json"]
    assert not (isolated_home / ".config/composer").exists() and not (isolated_home / ".local/share/composer").exists()


def test_a_move_that_fails_says_so_and_leaves_the_files_where_they_were(isolated_home, macos):
    _old_files(isolated_home)
    macos.parent.mkdir(parents=True)
    macos.write_text("a file where the folder should be")
    notes = files.move_from_old_places()
    assert len(notes) == 2 and all("could not all be moved" in n and "is still in" in n for n in notes)
    assert (isolated_home / ".config/composer/profiles.json").exists()
    assert (isolated_home / ".local/share/composer/history.sqlite").exists()


def test_on_linux_the_old_places_are_the_new_ones(isolated_home, monkeypatch):
    monkeypatch.setattr(files, "platform_dirs", platformdirs.unix.Unix)
    _old_files(isolated_home)
    assert files.move_from_old_places() == []
    assert (files.config_dir() / "profiles.json").exists() and (files.data_dir() / "history.sqlite").exists()


def test_a_database_in_both_places_keeps_its_own_write_ahead_log(isolated_home, macos):
    """SQLite reads X-wal and X-shm as part of database X: the old database's must go with it, never
    beside the new database."""
    old = isolated_home / ".local/share/composer"
    old.mkdir(parents=True)
    for name, data in (("history.sqlite", b"old db"), ("history.sqlite-wal", b"old wal"), ("history.sqlite-shm", b"old shm")):
        (old / name).write_bytes(data)
    macos.mkdir(parents=True)
    (macos / "history.sqlite").write_bytes(b"new db")
    (note,) = files.move_from_old_places()
    assert "the old one is kept as history.sqlite.from-old-folder" in note
    assert sorted(p.name for p in macos.iterdir()) == [
        "history.sqlite", "history.sqlite.from-old-folder", "history.sqlite.from-old-folder-shm", "history.sqlite.from-old-folder-wal",
    ]
    assert (macos / "history.sqlite").read_bytes() == b"new db"
    assert (macos / "history.sqlite.from-old-folder-wal").read_bytes() == b"old wal"
    assert not old.exists()


def test_a_write_ahead_log_whose_database_stayed_behind_is_not_put_beside_another(isolated_home, macos):
    old = isolated_home / ".local/share/composer"
    old.mkdir(parents=True)
    (old / "history.sqlite-wal").write_bytes(b"orphan wal")
    macos.mkdir(parents=True)
    (macos / "history.sqlite").write_bytes(b"new db")
    files.move_from_old_places()
    assert sorted(p.name for p in macos.iterdir()) == ["history.sqlite", "history.sqlite-wal.from-old-folder"]


def _shared_folder_with_a_link(tmp_path: Path, owner: int) -> tuple[Path, Path]:
    """A sticky folder everyone may write to (as /tmp is), holding a link made by ``owner`` to a
    file outside it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    target = tmp_path / "theirs.json"
    target.write_text("their file")
    link = shared / "report.json"
    link.symlink_to(target)
    if owner != os.geteuid():
        require(os.geteuid() == 0, "making a link owned by another user needs root")
        os.lchown(link, owner, owner)
    return link, target


def test_another_users_link_in_a_shared_folder_is_not_followed(tmp_path):
    link, target = _shared_folder_with_a_link(tmp_path, owner=65534)
    with pytest.raises(OSError) as refused:
        files.atomic_write(link, "{}", mode=None)
    assert refused.value.errno == errno.EACCES
    assert refused.value.strerror == f"{link} is another user's link in a shared folder; it is not followed"
    assert target.read_text() == "their file" and link.is_symlink()
    with pytest.raises(OSError):
        files.check_replaceable(link)


def test_our_own_link_in_a_shared_folder_is_followed(tmp_path):
    link, target = _shared_folder_with_a_link(tmp_path, owner=os.geteuid())
    files.atomic_write(link, "{}", mode=None)
    assert target.read_text() == "{}" and link.is_symlink()


def test_a_file_longer_than_its_size_says_is_read_no_further_than_the_limit():
    # a file under /proc says it is 0 bytes long and holds more: as a file growing while read
    with pytest.raises(files.UnreadableFile, match=r"/proc/self/maps is more than 100 bytes; a draft file is at most 100 bytes"):
        files.read_user_text(Path("/proc/self/maps"), "draft file", 100)


def test_why_a_file_was_not_written_reads_whole_and_says_what_to_do_only_for_a_refusal(tmp_path):
    read_only = tmp_path / "plan.json"
    refusal = files.ReadOnlyFile(read_only)
    assert files.why_not_written(read_only, refusal, "Save As to another name") == f"{read_only} is read-only; Save As to another name"
    failure = OSError(errno.ENOSPC, "No space left on device")
    assert files.why_not_written(read_only, failure, "Save As to another name") == f"{read_only}: No space left on device"


def test_a_file_seen_has_changed_only_when_its_bytes_did(tmp_path):
    path = tmp_path / "draft.json"
    path.write_text('{"UID": "orig"}')
    seen = files.SeenFile.of(path, 100)

    assert not files.changed_since(path, seen, 100)
    os.utime(path, ns=(1, 1))  # touched: another time, the same bytes
    assert not files.changed_since(path, seen, 100)
    files.atomic_write(path, '{"UID": "orig"}')  # written again with the same bytes: another inode
    assert not files.changed_since(path, seen, 100)
    path.write_text('{"UID": "ORIG"}')  # the same size, other bytes
    assert files.changed_since(path, seen, 100)
    path.write_text('{"UID": "orig", "more": "than seen, and more than the reader reads"}' * 3)
    assert files.changed_since(path, seen, 100)  # beyond the limit: not read, so changed

    path.unlink()  # deleted: a save brings it back, nothing is lost
    assert not files.changed_since(path, seen, 100)


def test_a_file_seen_as_written_or_as_nothing_known(tmp_path):
    path = tmp_path / "draft.json"
    files.atomic_write(path, "ours")
    written = files.SeenFile.written(path, "ours", 100)
    assert written == files.SeenFile.of(path, 100) and written.state is not None
    assert not files.changed_since(path, written, 100)

    # the file holds what another program wrote since: its state is not taken for ours
    path.write_text("theirs")
    assert files.SeenFile.written(path, "ours", 100).state is None
    assert files.changed_since(path, files.SeenFile.written(path, "ours", 100), 100)

    # nothing known of the file (None): one that is there has changed, one that is not has not
    assert files.changed_since(path, None, 100)
    assert not files.changed_since(tmp_path / "not-there.json", None, 100)


def test_a_file_seen_is_kept_as_json_and_what_is_not_that_is_unknown(tmp_path):
    path = tmp_path / "draft.json"
    path.write_text("bytes")
    seen = files.SeenFile.of(path, 100)
    assert files.SeenFile.from_json(json.loads(json.dumps(seen.to_json()))) == seen
    assert files.SeenFile.from_json(None) is None
    assert files.SeenFile.from_json({"state": [1, "2", 3], "content": [5]}) == files.SeenFile(None, None)
    assert files.changed_since(path, files.SeenFile.from_json({"state": "x"}), 100)


def test_a_pipe_seen_is_not_read(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    seen = files.SeenFile.of(pipe, 100)  # returns at once: no writer is waited for
    assert seen is not None and seen.content is None
