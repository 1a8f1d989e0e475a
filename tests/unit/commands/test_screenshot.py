"""``composer screenshot``: the real window rendered to a PNG, after publishing to the built-in
sandbox when asked."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from composer.cli import main
from composer.sandbox.builtin import ensure_builtin_sandbox
from tests.helpers.environment import REPO

PRODUCT_LAUNCH = REPO / "resources" / "drafts" / "product-launch.json"


def test_screenshot_renders_the_window_after_a_publish(qapp, tmp_path, capsys):
    out = tmp_path / "shots" / "window.png"
    before = len(ensure_builtin_sandbox().posts())
    assert main(["screenshot", str(PRODUCT_LAUNCH), "--out", str(out), "--size", "1024x640", "--tab", "networks", "--publish"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    image = QImage(str(out))
    assert not image.isNull() and (image.width(), image.height()) == (1024, 640)
    assert len(ensure_builtin_sandbox().posts()) > before  # the publish really reached the sandbox


def test_screenshot_of_a_draft_that_cannot_be_read_exits_2(qapp, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["screenshot", str(broken), "--out", str(tmp_path / "x.png")]) == 2
    assert "broken.json" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_screenshot_publishes_to_the_built_in_sandbox_whatever_profile_was_chosen(qapp, tmp_path, capsys):
    """--publish goes to the built-in sandbox, never through the profile the window remembers,
    and leaves an earlier run's autosave where it is."""
    from composer.core.accounts.profiles import Profile, ProfileStore
    from composer.core.storage import files
    from composer.gui.settings import settings

    ProfileStore().add(Profile(name="Production", base_url="http://127.0.0.1:9", api_key="3_prod", user_key="prod-key"))
    remembered = settings()
    remembered.setValue("profile", "Production")
    remembered.sync()
    autosave = files.data_dir() / "autosave.json"
    files.atomic_write(autosave, '{"version": 1, "draft": {"UID": "x"}}')
    before = ensure_builtin_sandbox().request_count
    out = tmp_path / "window.png"
    assert main(["screenshot", str(PRODUCT_LAUNCH), "--out", str(out), "--publish"]) == 0
    assert ensure_builtin_sandbox().request_count == before + 1
    assert autosave.exists() and not (files.data_dir() / "autosave.recovered.json").exists()


def test_screenshot_names_the_draft_as_the_window_does(qapp, tmp_path, capsys, monkeypatch):
    """A draft given through a link and ``..`` is named as the window names a file: the link's own
    name, in its real folder."""
    from composer.commands import screenshot
    from composer.gui.app import build_window

    built = []
    monkeypatch.setattr(screenshot, "build_window", lambda: built.append(build_window()) or built[-1])
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "launch.json").symlink_to(PRODUCT_LAUNCH)
    monkeypatch.chdir(tmp_path / "drafts")
    assert main(["screenshot", "../drafts/launch.json", "--out", str(tmp_path / "x.png")]) == 0
    window, controller = built[0]
    assert controller.drafts.path == tmp_path / "drafts" / "launch.json"
    assert window.windowTitle().startswith("launch.json")


@pytest.mark.parametrize("size", ["100000x100000", "0x0", "99x800", "1280x8193", "big"])
def test_a_size_out_of_range_is_refused_naming_the_range(tmp_path, capsys, size):
    out = tmp_path / "x.png"
    assert main(["screenshot", str(PRODUCT_LAUNCH), "--out", str(out), "--size", size]) == 2
    err = capsys.readouterr().err
    assert f"argument --size: expected WIDTHxHEIGHT, each from 100 to 8192, such as 1280x800; got {size!r}" in err
    assert not out.exists()


def test_an_unknown_network_is_refused_naming_the_known_ones(tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["screenshot", str(PRODUCT_LAUNCH), "--out", str(out), "--tab", "networks", "--network", "myspace"]) == 2
    err = capsys.readouterr().err
    assert "argument --network: invalid choice: 'myspace' (choose from 'facebook', 'twitter', 'linkedin', 'vkontakte', 'renren', 'sina')" in err
    assert not out.exists()


def test_a_network_without_the_networks_tab_is_refused(tmp_path, capsys):
    """--help says --network works with --tab networks: on another tab it would not be shown."""
    out = tmp_path / "x.png"
    assert main(["screenshot", str(PRODUCT_LAUNCH), "--out", str(out), "--network", "twitter"]) == 2
    assert capsys.readouterr().err == "composer: --network needs --tab networks\n"
    assert not out.exists()
