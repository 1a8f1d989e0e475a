"""The app's folders and how it writes into them: set-asides that never overwrite each other, the
temporary files of killed writes cleared, and a folder that cannot be written told apart."""

from __future__ import annotations

import os
import time

from composer.core.storage import files


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
