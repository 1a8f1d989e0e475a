"""Run every benchmark, print a table and write benchmarks/results/latest.json.

    .venv/bin/python -m benchmarks [--quick] [--only NAME ...]

Each figure is a median of several runs on this machine; where there is a natural floor (a bare
PySide6 window, a bare requests.post), the floor is measured in the same run, alternating the two,
and the ratio is reported.  Nothing here asserts: figures are for people, not for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: offscreen, on a 1920x1080 screen (Qt's offscreen default is 800x800): the window opens at its
#: design size, bounded by the screen, and is compared with a bare window of that same size
OFFSCREEN = f"offscreen:configfile={HERE / 'screen.json'}"
os.environ.setdefault("QT_QPA_PLATFORM", OFFSCREEN)


def _isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        QT_QPA_PLATFORM=OFFSCREEN,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    # an installed app has its byte code; without it every start would compile our modules
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


# --- start-up -------------------------------------------------------------------------------

#: the window's first frame may take this many times as long as a bare PySide6 window's
STARTUP_TARGET = 1.6


def app_command() -> list[str]:
    """``composer`` as the README and the desktop entry start it: the script of this virtual
    environment, which must run this checkout's code."""
    script = Path(sys.executable).with_name("composer")
    install = f"install this checkout first: {sys.executable} -m pip install -e {REPO}"
    if not script.is_file():
        raise SystemExit(f"benchmarks: {script} is missing; {install}")
    found = subprocess.run([sys.executable, "-c", "import composer; print(composer.__file__)"], capture_output=True, text=True,
                           cwd=tempfile.gettempdir(), timeout=60)
    if found.returncode != 0 or Path(found.stdout.strip()).resolve() != (REPO / "composer" / "__init__.py").resolve():
        raise SystemExit(f"benchmarks: {script} runs another composer ({found.stdout.strip() or found.stderr.strip()}); {install}")
    return [str(script)]


def _timed_start(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Milliseconds from launching ``cmd`` until it prints each of its words (``painted``, and for
    the app ``ready`` once start-up is over); the process leaves by itself afterwards, its exit is
    not counted."""
    seen: dict[str, float] = {}
    start = time.perf_counter()
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            seen[line.strip()] = (time.perf_counter() - start) * 1000
        if child.wait(timeout=120) != 0 or "painted" not in seen:
            raise RuntimeError(f"{cmd} failed (exit {child.returncode}, printed {sorted(seen)})")
    return seen


def _alternating_starts(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """Each command's median milliseconds to its first frame, over ``runs`` rounds that start each
    command in turn (after one start each to warm the file cache and write the byte code)."""
    for cmd in commands.values():
        _timed_start(cmd, env)
    painted: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            painted[name].append(_timed_start(cmd, env)["painted"])
    return {name: _median(values) for name, values in painted.items()}


def bench_startup(runs: int) -> dict:
    from benchmarks.drafts import maximal_draft_text

    with tempfile.TemporaryDirectory() as tmp:
        env = _isolated_env(Path(tmp))
        env["COMPOSER_EXIT_AFTER_PAINT"] = "1"
        app_cmd = app_command()
        bare_cmd = [sys.executable, str(HERE / "bare_window.py")]
        same_screen_cmd = [sys.executable, str(HERE / "first_screen_floor.py")]
        # for information: the window opening a draft, as "composer maximal.json"
        maximal = Path(tmp) / "maximal.json"
        maximal.write_text(maximal_draft_text(), encoding="utf-8")
        draft_cmd = [*app_cmd, str(maximal)]
        starts = _alternating_starts({"app": app_cmd, "bare": bare_cmd, "same_screen": same_screen_cmd, "draft": draft_cmd}, env, runs)
        probe = subprocess.run([sys.executable, str(HERE / "window_probe.py"), "composer"], env=env, capture_output=True, text=True, timeout=120)
        modules = json.loads(probe.stdout.strip().splitlines()[-1])["modules"]
        phases: dict[str, list[float]] = {}
        for _ in range(runs):
            out = subprocess.run([sys.executable, str(HERE / "startup_phases.py")], env=env, capture_output=True, text=True, timeout=120)
            for name, ms in json.loads(out.stdout.strip().splitlines()[-1]):
                phases.setdefault(name, []).append(ms)
    first, floor, same_screen, on_draft = starts["app"], starts["bare"], starts["same_screen"], starts["draft"]
    page_phases = {"options": "open the Options page for the first time", "result": "open the Result page for the first time"}
    return {
        "app_ms": round(first, 1),
        "bare_ms": round(floor, 1),
        "ratio": round(first / floor, 2),
        # the pages built when first opened: what the first click on their tab waits for
        "first_open_ms": {page: round(_median(phases[name]), 1) for page, name in page_phases.items()},
        # the same first screen in plain PySide6, none of our code (benchmarks/first_screen_floor.py)
        "plain_qt_same_screen_ms": round(same_screen, 1),
        "plain_qt_same_screen_ratio": round(same_screen / floor, 2),
        "on_maximal_draft_ms": round(on_draft, 1),
        "on_maximal_draft_ratio": round(on_draft / floor, 2),
        "target_ratio": STARTUP_TARGET,
        "lazy_modules_loaded_at_startup": modules,
        "phases_ms": {name: round(_median(values), 1) for name, values in phases.items()},
        "ok": first / floor <= STARTUP_TARGET and not modules,
    }


def _x_server() -> tuple[subprocess.Popen, str] | None:
    """An X server of our own (Xvfb) and its display, or None when Xvfb is not installed."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as told:
        number = told.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def bench_startup_x11(runs: int) -> dict:
    """The start-up figure on a real X server (Xvfb, with no desktop around it), against the same
    floors.  On X11, reading the platform's palette before the first frame (to follow a desktop that
    asks for dark, see ``system_prefers_dark`` in composer/gui/theme.py) and Qt's text fields
    (input methods, X resources) cost more than offscreen; the floors pay for the text fields too."""
    started = _x_server()
    if started is None:
        return {"skipped": "Xvfb is not installed (Debian: xvfb)", "ok": True}
    server, display = started
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**_isolated_env(Path(tmp)), "QT_QPA_PLATFORM": "xcb", "DISPLAY": display, "COMPOSER_EXIT_AFTER_PAINT": "1"}
            commands = {
                "app": app_command(),
                "bare": [sys.executable, str(HERE / "bare_window.py")],
                "same_screen": [sys.executable, str(HERE / "first_screen_floor.py")],
            }
            starts = _alternating_starts(commands, env, runs)
    finally:
        server.terminate()
        server.wait(timeout=10)
    app, bare, same_screen = starts["app"], starts["bare"], starts["same_screen"]
    return {
        "app_ms": round(app, 1),
        "bare_ms": round(bare, 1),
        "ratio": round(app / bare, 2),
        "plain_qt_same_screen_ms": round(same_screen, 1),
        "plain_qt_same_screen_ratio": round(same_screen / bare, 2),
        "target_ratio": STARTUP_TARGET,
        "ok": app / bare <= STARTUP_TARGET,
    }


# --- memory ---------------------------------------------------------------------------------


def bench_memory(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = _isolated_env(Path(tmp))
        app_rss, bare_rss, plain_rss, every_page_rss = [], [], [], []
        modes = (("composer-maximal", app_rss), ("bare", bare_rss), ("plain-qt-maximal", plain_rss), ("composer-maximal-every-page", every_page_rss))
        for _ in range(max(3, runs // 2)):
            for mode, sink in modes:
                out = subprocess.run(
                    [sys.executable, str(HERE / "window_probe.py"), mode], env=env, capture_output=True, text=True, timeout=120, cwd=REPO
                )
                if out.returncode != 0:
                    raise RuntimeError(out.stderr[-500:])
                sink.append(json.loads(out.stdout.strip().splitlines()[-1])["maxrss_kb"] / 1024)
    app, bare, plain, every_page = _median(app_rss), _median(bare_rss), _median(plain_rss), _median(every_page_rss)
    return {
        "app_mb": round(app, 1),
        "bare_mb": round(bare, 1),
        "ratio": round(app / bare, 2),
        # the Options and Result pages are built when first opened; with both opened too:
        "every_page_opened_mb": round(every_page, 1),
        "every_page_opened_ratio": round(every_page / bare, 2),
        # the same first screen in plain PySide6 showing the same text (benchmarks/first_screen_floor.py)
        "plain_qt_same_screen_mb": round(plain, 1),
        "plain_qt_same_screen_ratio": round(plain / bare, 2),
        "target_ratio": 1.3,
        "ok": app / bare <= 1.3,
    }


class GapRecorder:
    """Times the event loop while it runs: a 1 ms timer notes how long each turn really took, so
    the longest gap is how long the window could not answer the user."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        #: seconds since the recorder was made, at the end of each gap
        self.when: list[float] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self.when.append(now / 1e9)
        self._last = now

    def start(self) -> None:
        self._last = self._clock.nsecsElapsed()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def longest(self) -> float:
        """The longest gap after the first (which includes the timer's own start)."""
        return max(self.gaps[1:]) if len(self.gaps) > 1 else float("nan")


# --- in-process window figures --------------------------------------------------------------


def _window():
    from composer.gui.app import build_window, create_application

    app = create_application()
    window, controller = build_window()
    controller.start(None)
    window.show()
    app.processEvents()
    return app, window, controller


def _keystroke_latency(app, window, controller, keystrokes: int) -> tuple[float, float]:
    """Type into the title, one key at a time, and time each keystroke until the window has
    refreshed (after the pages controller's update too); close the window; the median and p95 in ms."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    title = window.content.inputs["title"]
    title.setFocus()
    title.end(False)
    done = []
    controller.editing.refreshed.connect(lambda: done.append(1))
    samples = []
    for i in range(keystrokes + 10):
        done.clear()
        start = time.perf_counter()
        QTest.keyClick(title, Qt.Key.Key_A if i % 2 == 0 else Qt.Key.Key_Backspace)
        while not done:
            app.processEvents()
        elapsed = (time.perf_counter() - start) * 1000
        if i >= 10:  # warm-up
            samples.append(elapsed)
    window.close_handler = None
    window.close()
    return _median(samples), _p95(samples)


def bench_preview(keystrokes: int) -> dict:
    from benchmarks.drafts import maximal_call

    app, window, controller = _window()
    controller.editing.load(maximal_call())
    median, p95 = _keystroke_latency(app, window, controller, keystrokes)
    return {"median_ms": round(median, 2), "p95_ms": round(p95, 2), "target": "median <= 8, p95 <= 16", "ok": median <= 8 and p95 <= 16}


def bench_preview_cards(keystrokes: int) -> dict:
    """One keystroke to every preview updated, with the cards built from the linked page and their
    thumbnails shown (the sample draft; its page and images come from the built-in sandbox)."""
    from composer.core.call.draft import load_draft

    app, window, controller = _window()
    call = load_draft(REPO / "resources" / "drafts" / "product-launch.json").call
    # a title of its own: each card warns that its page's og:title differs, as while a user types
    call.userAction.title = "Spring collection 2026, now in store"
    controller.editing.load(call)
    controller.pages.settle()
    app.processEvents()
    shown = sum(1 for card in window.previews.cards.values() if getattr(card, "thumbnail", None) is not None and card.thumbnail.isVisible())
    median, p95 = _keystroke_latency(app, window, controller, keystrokes)
    return {
        "median_ms": round(median, 2),
        "p95_ms": round(p95, 2),
        "thumbnails_shown": shown,
        "target": "median <= 8, p95 <= 16",
        "ok": median <= 8 and p95 <= 16 and shown > 0,
    }


def bench_page_load_gap(images: int = 20) -> dict:
    """The longest the event loop waits while a linked page and ``images`` images load."""

    from composer.core.call.model import MediaItem, PublishCall, UserAction

    app, window, controller = _window()
    stamp = time.time_ns()  # addresses no cache holds
    media = [MediaItem("image", {"src": f"https://example.com/img/spring.jpg?n={stamp}-{i}"}) for i in range(images)]
    call = PublishCall(UID="u", userAction=UserAction(title="Gap", linkBack=f"https://example.com/spring-2026?n={stamp}", mediaItems=media))
    expected = {call.userAction.linkBack, *(m.get("src") for m in media), "https://example.com/img/spring.jpg"}
    loaded: set[str] = set()
    controller.pages.loaded.connect(loaded.add)
    recorder = GapRecorder()
    started = time.perf_counter()
    controller.editing.load(call)  # showing the draft is another figure ("preview"): the loading starts here
    recorder.start()
    while not expected <= loaded and time.perf_counter() - started < 60:
        app.processEvents()
        time.sleep(0.0005)
    duration = time.perf_counter() - started
    recorder.stop()
    window.close_handler = None
    window.close()
    longest = recorder.longest
    complete = expected <= loaded
    return {"longest_gap_ms": round(longest, 1), "load_s": round(duration, 2), "loaded": len(loaded), "target_ms": 50, "ok": complete and longest <= 50}


def bench_reopen_cached(runs: int) -> dict:
    """Reopening the sample draft once its page and images are in the cache folder: the time to
    load it, and whether its first frame shows the page's cards and their images."""
    from composer.gui.app import build_window

    sample = REPO / "resources" / "drafts" / "product-launch.json"
    app, window, controller = _window()
    controller.start(str(sample))
    controller.pages.settle()  # read once: the cache folder holds the page and its images now
    window.close_handler = None
    window.close()
    samples, complete = [], True
    for _ in range(runs):
        window, controller = build_window()
        start = time.perf_counter()
        controller.start(str(sample))
        samples.append((time.perf_counter() - start) * 1000)
        window.show()
        app.processEvents()  # the first frame
        cards = [card for provider, card in window.previews.cards.items() if provider != "twitter"]
        complete &= all(card.domain.text() == "EXAMPLE STORE" and card.thumbnail.isVisible() for card in cards)
        complete &= window.previews.twitter.link_card.thumbnail.isVisible()
        window.close_handler = None
        window.close()
    return {"load_median_ms": round(_median(samples), 1), "cards_in_first_frame": complete, "ok": complete}


def bench_responsiveness() -> dict:

    app, window, controller = _window()
    from composer.core.call.draft import parse_draft

    controller.editing.load(parse_draft(json.dumps({"UID": "demo-slow", "userAction": {"title": f"slow {time.time()}", "linkBack": "https://example.com/"}})).call)
    recorder = GapRecorder()
    finished = []
    controller.publishing.finished.connect(finished.append)
    recorder.start()
    started = time.perf_counter()
    controller.publishing.publish()
    while not finished:
        app.processEvents()
        time.sleep(0.0005)
    duration = time.perf_counter() - started
    recorder.stop()
    outcome = finished[0].result.outcome.value
    window.close_handler = None
    window.close()
    longest = recorder.longest
    return {"longest_gap_ms": round(longest, 1), "publish_s": round(duration, 2), "outcome": outcome, "target_ms": 50, "ok": longest <= 50}


def _wait_for(signal) -> None:  # noqa: ANN001 - a bound Qt signal
    """Wait in an event loop, as the window does: spinning ``processEvents`` instead would keep the
    GIL from the worker thread that runs the query, and the figure would time the spinning."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: loop.exit(1))
    timer.start(30_000)
    if loop.exec() != 0:
        raise RuntimeError("the history dialog did not load within 30 s")
    signal.disconnect(loop.quit)


def bench_history() -> dict:
    from PySide6.QtWidgets import QApplication

    from composer.core.storage.history import History
    from composer.gui.history_view import HistoryDialog

    QApplication.instance() or _window()
    app = QApplication.instance()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite"
        outcomes = ("posted", "partial", "failed", "unknown")
        with History(path) as history:
            history.add_many(
                {
                    "profile": "Sandbox",
                    "draft": {"UID": f"user-{i}", "userAction": {"title": f"Share number {i}", "linkBack": f"https://example.com/{i}"}},
                    "result": {
                        "outcome": outcomes[i % 4],
                        "providers": [
                            {"provider": "facebook", "status": "posted", "postId": f"{i}_1"},
                            {"provider": "twitter", "status": "failed" if i % 4 else "posted", "errorCode": 403024},
                        ],
                        "request": {"UID": f"user-{i}"},
                        "response": {"errorCode": 0},
                    },
                }
                for i in range(10_000)
            )
        opens, filters = [], []
        for run in range(5):
            dialog = HistoryDialog(history_path=path)
            start = time.perf_counter()
            dialog.reload()
            _wait_for(dialog.model.modelReset)
            dialog.show()
            app.processEvents()
            assert dialog.model.rowCount() == 10_000
            opens.append((time.perf_counter() - start) * 1000)
            dialog.text.blockSignals(True)
            dialog.text.setText(f"number 99{run}")
            dialog.text.blockSignals(False)
            start = time.perf_counter()
            dialog.reload()
            _wait_for(dialog.model.modelReset)
            filters.append((time.perf_counter() - start) * 1000)
            matched = dialog.model.rowCount()
            dialog.runner.wait(5000)
            dialog.close()
            dialog.deleteLater()
    o, f = _median(opens), _median(filters)
    return {"open_ms": round(o, 1), "filter_ms": round(f, 1), "rows_after_filter": matched, "target": "open <= 200, filter <= 50", "ok": o <= 200 and f <= 50}


# --- network figures (sandbox in its own process) -------------------------------------------


class SandboxProcess:
    def __enter__(self) -> dict:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "composer", "sandbox", "--json", "--port", "0"], stdout=subprocess.PIPE, text=True
        )
        line = self.proc.stdout.readline()
        return json.loads(line)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()


def bench_publish_overhead(runs: int) -> dict:
    import requests

    from composer.core.call.model import PublishCall, UserAction
    from composer.core.wire.client import Credentials, GigyaClient

    with SandboxProcess() as info:
        credentials = Credentials(api_key=info["apiKey"], secret=info["secret"], user_key=info["userKey"])
        client = GigyaClient(credentials, info["url"])
        bare_session = requests.Session()
        ours, bare = [], []
        for i in range(runs + 20):
            call = PublishCall(UID="demo-all-ok", userAction=UserAction(title=f"overhead {i} {time.time()}", linkBack="https://example.com/"))
            start = time.perf_counter()
            result = client.publish(call)
            t_ours = time.perf_counter() - start
            prepared = client.prepare(PublishCall(UID="demo-all-ok", userAction=UserAction(title=f"bare {i} {time.time()}", linkBack="https://example.com/")).to_params())
            start = time.perf_counter()
            response = bare_session.post(prepared.url, data=prepared.params, timeout=30)
            response.content
            t_bare = time.perf_counter() - start
            response.close()
            if result.outcome.value != "posted":
                raise RuntimeError(result.headline)
            if i >= 20:
                ours.append(t_ours * 1000)
                bare.append(t_bare * 1000)
        client.close()
        bare_session.close()
    o, b = _median(ours), _median(bare)
    return {"client_ms": round(o, 2), "bare_ms": round(b, 2), "ratio": round(o / b, 2), "target_ratio": 1.10, "ok": o / b <= 1.10}


def bench_sandbox(seconds: float) -> dict:
    import requests

    from composer.core.call.model import PublishCall, UserAction
    from composer.core.wire.client import Credentials, GigyaClient

    with SandboxProcess() as info:
        credentials = Credentials(api_key=info["apiKey"], secret=info["secret"], user_key=info["userKey"])
        counts = [0, 0, 0, 0]
        errors = [0]
        stop = time.perf_counter() + seconds

        def worker(slot: int) -> None:
            session = requests.Session()
            client = GigyaClient(credentials, info["url"], session=session)
            n = 0
            while time.perf_counter() < stop:
                n += 1
                call = PublishCall(UID="demo-all-ok", userAction=UserAction(title=f"load {slot} {n}", linkBack="https://example.com/"))
                if client.publish(call).outcome.value != "posted":
                    errors[0] += 1
                counts[slot] += 1
            session.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    rate = sum(counts) / elapsed
    return {"publishes_per_s": round(rate), "errors": errors[0], "target": ">= 300", "ok": rate >= 300 and not errors[0]}


# --- test plans -----------------------------------------------------------------------------


def _plan_file(folder: Path, rows: int) -> Path:
    """A plan of ``rows`` data rows and one case: ``rows`` shares, each with a title of its own
    (the sandbox answers a repeated status with 403024)."""
    stamp = time.time_ns()
    (folder / "rows.csv").write_text("n\n" + "".join(f"{n}\n" for n in range(rows)), encoding="utf-8")
    plan = {
        "name": "benchmark",
        "data": "rows.csv",
        "cases": [{"name": "share", "UID": "demo-all-ok", "expect": {"outcome": "posted"},
                   "draft": {"userAction": {"title": f"Share {{{{n}}}} of {stamp}", "linkBack": "https://example.com/{{n}}"}}}],
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def _rss_mb() -> float:
    """This process's resident memory now (Linux: /proc/self/statm)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_plan(cases: int, reset: bool = False) -> dict:
    """``composer run`` in-process: ``cases`` cases against the built-in sandbox with four jobs,
    recorded in the history; resident memory sampled as cases finish.  The built-in sandbox runs
    in this process and keeps every post it received, so without ``reset`` (``--reset-sandbox``,
    one more request per case) the memory figure includes the sandbox's growing record; with it,
    the figure is the runner's own."""
    from composer.core.accounts.resolve import resolve
    from composer.core.plans.plan import case_runs, load_plan
    from composer.core.plans.runner import PlanRunner

    with tempfile.TemporaryDirectory() as tmp:
        plan = load_plan(_plan_file(Path(tmp), cases))
        resolved = resolve(None)
        PlanRunner("warm-up", jobs=4).run(resolved, list(case_runs(plan))[:20])  # connections, imports, the history file
        plan = load_plan(_plan_file(Path(tmp), cases))
        rss: list[float] = []
        finished = [0]

        def sample(result) -> None:  # noqa: ANN001 - a CaseResult
            finished[0] += 1
            if finished[0] % max(1, cases // 10) == 0:
                rss.append(_rss_mb())

        summary = PlanRunner(plan.name, jobs=4, reset_sandbox=reset).run(resolved, case_runs(plan), sample)
    rate = len(summary.results) / summary.seconds
    growth = rss[-1] - rss[0] if len(rss) > 1 else float("nan")
    return {
        "cases": len(summary.results),
        "passed": summary.count("passed"),
        "cases_per_s": round(rate),
        "rss_first_tenth_mb": round(rss[0], 1),
        "rss_end_mb": round(rss[-1], 1),
        "rss_growth_mb": round(growth, 1),
        "target": ">= 200 cases/s" + (", growth <= 5 MB" if reset else ""),
        "ok": rate >= 200 and summary.ok and (growth <= 5 or not reset),
    }


def bench_plan_window(cases: int) -> dict:
    """The longest event-loop gap of the main window while the Test plan window runs ``cases``
    cases with its default number of jobs and shows each verdict as it comes."""
    from PySide6.QtCore import QEventLoop

    app, window, controller = _window()
    with tempfile.TemporaryDirectory() as tmp:
        controller.show_test_plans()
        plans = controller.plans
        plans.open_path(_plan_file(Path(tmp), cases))
        controller.plan_window.reset_sandbox.setChecked(False)
        recorder = GapRecorder()
        loop = QEventLoop()
        finished: list = []
        plans.finished.connect(finished.append)
        plans.finished.connect(loop.quit)
        recorder.start()
        started = time.perf_counter()
        plans.run_all()
        loop.exec()
        duration = time.perf_counter() - started
        recorder.stop()
    window.close_handler = None
    controller.plan_window.close()
    window.close()
    longest = recorder.longest
    summary = finished[0]
    return {
        "cases": len(summary.results),
        "passed": summary.count("passed"),
        "longest_gap_ms": round(longest, 1),
        # seconds into the run when the longest gap ended: the start, the steady state or the end
        "longest_gap_at_s": round(recorder.when[recorder.gaps.index(longest)], 2) if len(recorder.gaps) > 1 else None,
        "p99_gap_ms": round(sorted(recorder.gaps)[int(0.99 * (len(recorder.gaps) - 1))], 1),
        "run_s": round(duration, 2),
        "target_ms": 50,
        "ok": longest <= 50 and summary.ok,
    }


# --- the table ------------------------------------------------------------------------------

BENCHES: dict[str, Callable[[argparse.Namespace], dict]] = {
    "startup": lambda a: bench_startup(5 if a.quick else 11),
    "startup_x11": lambda a: bench_startup_x11(5 if a.quick else 11),
    "preview": lambda a: bench_preview(60 if a.quick else 300),
    "preview_cards": lambda a: bench_preview_cards(60 if a.quick else 300),
    "page_load_gap": lambda a: bench_page_load_gap(),
    "reopen_cached": lambda a: bench_reopen_cached(3 if a.quick else 7),
    "publish": lambda a: bench_publish_overhead(60 if a.quick else 300),
    "responsiveness": lambda a: bench_responsiveness(),
    "memory": lambda a: bench_memory(4 if a.quick else 7),
    "history": lambda a: bench_history(),
    "sandbox": lambda a: bench_sandbox(2 if a.quick else 5),
    "plan": lambda a: bench_plan(1000),
    "plan_reset": lambda a: bench_plan(1000, reset=True),
    "plan_window": lambda a: bench_plan_window(300 if a.quick else 1000),
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--only", nargs="*", choices=list(BENCHES), help="run only these")
    parser.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(_isolated_env(Path(home)))
        results = {}
        for name in args.only or list(BENCHES):
            print(f"running {name}…", file=sys.stderr, flush=True)
            results[name] = BENCHES[name](args)
    lines = [f"{'figure':<16} {'result':<60} {'target met'}"]
    details = []
    for name, r in results.items():
        shown = ", ".join(f"{k}={v}" for k, v in r.items() if k != "ok" and not isinstance(v, dict))
        lines.append(f"{name:<16} {shown:<60} {'yes' if r['ok'] else 'NO'}")
        for key, table in ((k, v) for k, v in r.items() if isinstance(v, dict)):
            details.append(f"\n{name} {key}:")
            for label, value in table.items():
                shown_value = ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
                details.append(f"  {shown_value:>8} {label}")
    lines.extend(details)
    print("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
