"""The package: the Qt-free core, the command's basics without a display, and the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from composer.sandbox.scenario import Scenario
from tests.helpers.environment import LAZY_MODULES, REPO, window_env

#: every module of the Qt-free packages, found by walking them so a new module is covered too
QT_FREE_PACKAGES = ("composer.core", "composer.sandbox")
#: command modules that must load without Qt (``composer screenshot`` is the one that needs it)
QT_FREE_COMMANDS = ("composer.commands.preview", "composer.commands.publish", "composer.commands.history",
                    "composer.commands.profile", "composer.commands.sandbox", "composer.commands.desktop", "composer.commands.run")


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)


def test_core_imports_no_qt():
    code = (
        "import sys, importlib, pkgutil\n"
        f"for package in {QT_FREE_PACKAGES!r}:\n"
        "    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"for name in {QT_FREE_COMMANDS!r}: importlib.import_module(name)\n"
        "import composer.core.call.preview as p, composer.core.call.model as m\n"
        "p.preview(m.PublishCall())\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = _run(sys.executable, "-c", code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _start_window(tmp_path, watch: str):
    """Run the window as ``composer`` does, in a process of its own, with the lines of ``watch``
    after ``start`` (``app``, ``window`` and ``sys`` are there); it leaves once start-up is over."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from composer.gui.app import build_window, create_application\n"
        "app = create_application()\n"
        "window, controller = build_window()\n"
        "controller.start(None)\n"
        f"{watch}\n"
        "window.ready.connect(app.quit)\n"
        "QTimer.singleShot(20000, lambda: app.exit(3))\n"
        "window.show()\n"
        "sys.exit(app.exec())\n"
    )
    env = window_env(tmp_path)
    out = _run(sys.executable, "-c", code, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_startup_path_defers_heavy_imports(tmp_path):
    """Start the window as ``composer`` does, up to its first paint and until start-up is over: the
    heavy modules (``LAZY_MODULES``) all wait for first use."""
    printed = _start_window(
        tmp_path,
        f"lazy = {LAZY_MODULES!r}\n"
        "window.first_painted.connect(lambda: print('painted', sorted(n for n in lazy if n in sys.modules)))\n"
        "window.ready.connect(lambda: print('ready', sorted(n for n in lazy if n in sys.modules)))",
    )
    assert printed == ["painted []", "ready []"]


def test_version_and_help_without_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    version = _run(sys.executable, "-m", "composer", "--version", env=env)
    assert version.returncode == 0
    assert version.stdout.strip().startswith("composer ")
    helped = _run(sys.executable, "-m", "composer", "--help", env=env)
    assert helped.returncode == 0
    for command in ("preview", "publish", "sandbox", "profile", "history", "screenshot"):
        assert command in helped.stdout


def test_bad_usage_exits_2():
    out = _run(sys.executable, "-m", "composer", "preview")
    assert out.returncode == 2
    assert "draft" in out.stderr


def _source_copy(tmp_path: Path) -> Path:
    """The files git would commit, copied: building in the checkout would reuse its ``build/``
    folder, whose stale copies (of a resource since deleted, say) would end up in the wheel."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return REPO  # not a git checkout (an unpacked sdist): no build folder of ours to fear
    listed = _run("git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    assert listed.returncode == 0, listed.stderr
    source = tmp_path / "source"
    for name in filter(None, listed.stdout.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    return source


@pytest.mark.slow
def test_wheel_ships_resources(tmp_path):
    """A non-editable install of the wheel finds its resources through importlib.resources."""
    dist = tmp_path / "dist"
    built = _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(_source_copy(tmp_path)), timeout=300)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    # pyproject.toml as setuptools wants it: no deprecated field, no folder of data it would not ship
    for complaint in ("SetuptoolsDeprecationWarning", "absent from the `packages` configuration"):
        assert complaint not in built.stdout + built.stderr
    wheel = next(dist.glob("*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from this interpreter's site-packages (no network needed); the package
    # itself only from the wheel
    site = _run(sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    (Path(_run(str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()) / "deps.pth").write_text(site + "\n")
    installed = _run(sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", str(wheel), timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    probe = (
        "import composer, json\n"
        "from importlib.resources import files\n"
        "from composer import resources\n"
        "r = files('composer.resources')\n"
        "print(json.dumps({'file': composer.__file__, 'draft': str(r / 'drafts' / 'product-launch.json'), 'own': str(resources.files()),"
        " 'names': sorted(p.name for p in r.iterdir()), 'icons': sorted(p.name for p in (r / 'icons').iterdir()), 'demo': sorted(p.name for p in (r / 'demo').iterdir())}))\n"
    )
    env = {**os.environ, "PYTHONPATH": ""}
    info = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert info.returncode == 0, info.stderr
    found = json.loads(info.stdout)
    assert str(env_dir) in found["file"], "the wheel, not the source tree, must be imported"
    assert found["own"] == str(Path(found["draft"]).parent.parent)  # the installed folder, as importlib.resources has it
    # exactly what the source tree holds: nothing missing, nothing left over from an earlier build
    assert set(found["names"]) - {"__pycache__"} == {"__init__.py", "composer.desktop", "demo", "drafts", "icons", "plans", "sandbox-scenario.json"}
    assert "composer.svg" in found["icons"]
    assert found["demo"] == ["launch.jpg", "spring.jpg"]  # the sandbox's demo pages show them
    assert {f"composer-{size}.png" for size in (16, 32, 48, 64, 128, 256)} <= set(found["icons"])
    preview = subprocess.run(
        [str(env_dir / "bin" / "composer"), "preview", found["draft"], "--json"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert preview.returncode == 0, preview.stderr
    data = json.loads(preview.stdout)
    assert [p["provider"] for p in data["providers"]] == ["facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"]
    # every package of the source tree is in the wheel, and the window starts from it
    shipped = subprocess.run(
        [str(py), "-c", "import composer, json, pkgutil; print(json.dumps([m.name for m in pkgutil.walk_packages(composer.__path__, 'composer.') if m.ispkg]))"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60,
    )
    in_tree = sorted("composer." + str(p.parent.relative_to(REPO / "composer")).replace("/", ".") for p in (REPO / "composer").rglob("__init__.py")
                     if p.parent != REPO / "composer")
    assert shipped.returncode == 0, shipped.stderr
    assert set(in_tree) <= set(json.loads(shipped.stdout)), "pyproject.toml's packages must list every package"
    window = subprocess.run(
        [str(env_dir / "bin" / "composer")], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**window_env(tmp_path), "PYTHONPATH": "", "COMPOSER_EXIT_AFTER_PAINT": "1"},
    )
    assert window.returncode == 0, window.stderr[-2000:]
    assert window.stdout.split() == ["painted", "ready"]


def test_resources_of_a_package_on_disk_are_its_folder():
    """On disk, importlib.resources gives the package's folder as a path (the window icon is read
    from it by file name)."""
    probe = (
        "import json, sys\n"
        "from composer import resources\n"
        "print(json.dumps({'folder': str(resources.files()), 'kind': type(resources.files()).__name__}))\n"
    )
    out = _run(sys.executable, "-c", probe)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    import composer.resources

    assert found == {"folder": str(Path(composer.resources.__file__).parent), "kind": "PosixPath"}


def _zipped_package(tmp_path: Path) -> Path:
    """composer as a zip of its sources and resources, as a package that is no folder on disk."""
    archive = tmp_path / "composer.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (REPO / "composer").rglob("*.py"):
            z.write(path, path.relative_to(REPO).as_posix())
        for path in (REPO / "resources").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, "composer/resources/" + path.relative_to(REPO / "resources").as_posix())
    return archive


def test_window_starts_from_a_zipped_package(tmp_path):
    """Start-up keeps no module sources of files on disk; what a zip's loader supplies stays, as
    linecache needs it (PySide6 reads every module's source as it is imported)."""
    archive = _zipped_package(tmp_path)
    env = {**window_env(tmp_path), "PYTHONPATH": str(archive), "COMPOSER_EXIT_AFTER_PAINT": "1"}
    draft = REPO / "resources" / "drafts" / "product-launch.json"
    out = subprocess.run([sys.executable, "-m", "composer", str(draft)], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["painted", "ready"]


def test_resources_of_a_zipped_package_come_through_importlib_resources(tmp_path):
    """A package that is no folder on disk (here: imported from a zip) still finds its sandbox
    scenario and window icons."""
    archive = _zipped_package(tmp_path)
    probe = (
        "import json, sys, composer\n"
        "from composer import resources\n"
        "from composer.sandbox.scenario import Scenario\n"
        "from composer.gui.app import app_icon, create_application\n"
        "app = create_application()\n"
        "icon = app_icon()\n"
        "print(json.dumps({'file': composer.__file__, 'kind': type(resources.files()).__name__,\n"
        "    'key': Scenario.default().home_site.api_key, 'sizes': [s.width() for s in icon.availableSizes()],\n"
        "    'stored': 'importlib.resources' in sys.modules}))\n"
    )
    env = {**window_env(tmp_path), "PYTHONPATH": str(archive)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["file"].startswith(str(archive))
    assert found["kind"] != "PosixPath" and found["stored"]
    assert found["key"] == Scenario.default().home_site.api_key
    assert found["sizes"] == [16, 32, 48, 64, 128, 256]


def test_window_without_display_says_why():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = _run(sys.executable, "-m", "composer", env=env)
    assert out.returncode == 2
    assert "no display" in out.stderr and "composer --help" in out.stderr
    assert "Traceback" not in out.stderr


def test_window_opens_a_draft_from_the_command_line(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPOSER_EXIT_AFTER_PAINT": "1", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    draft = REPO / "resources" / "drafts" / "product-launch.json"
    out = _run(sys.executable, "-m", "composer", str(draft), env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["painted", "ready"]  # what the start-up benchmark times
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    out = _run(sys.executable, "-m", "composer", str(bad), env=env)
    assert out.returncode == 0  # the window still opens; the problem is shown in it, not a traceback
    assert "Traceback" not in out.stderr
