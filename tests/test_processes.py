"""The build as a process among others: one build at a time per output folder and cache, signals
that stop it cleanly, and a closed stdout that does not fail it. Real processes, on a site of a few
hundred posts, so that the render workers are running when the signal or the second build comes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, write
from generator.build import lock
from test_sites import files_under

# Whole builds in processes and across many edits: in `make test`, left out of `make test-fast`.
pytestmark = pytest.mark.slow

NOW = "2016-03-01T12:00"
POSTS = 300
TAGS = ["innovation", "energi", "skog", "turism", "digitalisering", "vård", "mat", "kultur"]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """A content folder of a few hundred posts with tags, and the bytes a --no-cache build makes of it."""
    root = tmp_path_factory.mktemp("stor")
    content = root / "content"
    write(content / "site.yaml", 'title: "Stor"\nbase_url: "https://example.org/"\n')
    paragraph = "Ett stycke om att pröva nya sätt tillsammans, i Jämtland och Härjedalen. " * 8
    for number in range(POSTS):
        day = f"2015-{1 + number % 12:02}-{1 + number % 28:02}"
        tags = ", ".join(TAGS[(number + k) % len(TAGS)] for k in range(3))
        body = "".join(f"## Del {part}\n\n{paragraph}\n\n" for part in range(4))
        write(content / f"posts/{day}-inlagg-{number}.md",
              f'---\ntitle: "Inlägg {number}"\ndate: {day}\ntags: [{tags}]\n---\n{body}')
    return content


@pytest.fixture(scope="module")
def expected(big_site, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("facit") / "public"
    run = run_cli("build", "--content", str(big_site), "--output", str(folder), "--now", NOW, "--no-search",
                  "--no-cache")
    assert run.code == 0, run.err
    return files_under(folder)


@pytest.fixture(scope="module")
def expected_elsewhere(big_site, tmp_path_factory) -> dict[str, bytes]:
    """The same site built for another address: what a build stopped just after its swap leaves."""
    folder = tmp_path_factory.mktemp("facit-annan") / "public"
    run = run_cli("build", "--content", str(big_site), "--output", str(folder), "--now", NOW, "--no-search",
                  "--no-cache", "--base-url", ELSEWHERE)
    assert run.code == 0, run.err
    return files_under(folder)


ELSEWHERE = "https://annan.example.org/"


def command(content: Path, output: Path, *more: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--output", str(output),
            "--now", NOW, "--no-search", *more]


def start(content: Path, output: Path, *more: str, **options) -> subprocess.Popen:
    return subprocess.Popen(command(content, output, *more), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **options)


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for_workers(process: subprocess.Popen, timeout: float = 60) -> None:
    """Until the build has render workers running (or has ended)."""
    ends = time.monotonic() + timeout
    while not children(process.pid) and process.poll() is None and time.monotonic() < ends:
        time.sleep(0.01)


def orphans_of(pids: list[int]) -> list[int]:
    """Those of these processes still alive, after a moment for the kernel to end them."""
    time.sleep(0.3)
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.parametrize("delay", [0.0, 0.2, 0.6, 1.2])
def test_two_builds_into_one_folder_take_turns_and_leave_a_correct_site(big_site, expected, tmp_path, delay):
    project = tmp_path
    output, cache = project / "out", project / "cache"
    first = start(big_site, output, "--cache-dir", str(cache))
    time.sleep(delay)
    second = start(big_site, output, "--cache-dir", str(cache))
    results = [process.communicate(timeout=300) for process in (first, second)]
    for process, (out, err) in zip((first, second), results):
        assert process.returncode == 0, err
        assert "Traceback" not in err, err
    assert files_under(output) == expected
    waited = [err for _, err in results if f"ett annat bygge pågår i {output}; väntar" in err]
    assert len(waited) <= 1
    later = subprocess.run(command(big_site, output, "--cache-dir", str(cache)), capture_output=True, text=True)
    assert later.returncode == 0 and later.stdout.startswith("Inget har ändrats"), later.stderr
    assert files_under(output) == expected


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_two_output_folders_sharing_one_cache_are_both_right(big_site, expected, tmp_path, delay):
    cache = tmp_path / "cache"
    first = start(big_site, tmp_path / "a", "--cache-dir", str(cache))
    time.sleep(delay)
    second = start(big_site, tmp_path / "b", "--cache-dir", str(cache))
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert files_under(tmp_path / "a") == expected and files_under(tmp_path / "b") == expected
    for name in ("a", "b"):  # and again, each after the other's build
        done = subprocess.run(command(big_site, tmp_path / name, "--cache-dir", str(cache)), capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert files_under(tmp_path / name) == expected


def test_a_build_beside_the_dev_server_sharing_its_cache_folder_is_right(big_site, expected, tmp_path):
    """`serve` (its folder inside .cache) and `build` (with .cache as its cache) at the same time."""
    project = tmp_path
    shutil.copytree(big_site, project / "content")
    serve = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", "content", "--port", "0",
                              "--no-search"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        done = subprocess.run(command(Path("content"), Path("public")), cwd=project, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert files_under(project / "public") == expected
    finally:
        serve.send_signal(signal.SIGINT)
        out, err = serve.communicate(timeout=60)
    assert "Traceback" not in err, err


def test_a_second_build_waits_and_says_so(big_site, tmp_path):
    output = tmp_path / "out"
    with lock.held(output, None, True, print):
        waiting = start(big_site, output, "--no-cache")
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the lock
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert err.startswith(f"ett annat bygge pågår i {output}; väntar\n")


def test_no_wait_refuses_while_another_build_runs(big_site, tmp_path):
    output, cache = tmp_path / "out", tmp_path / "cache"
    for held_output, held_cache in ((output, None), (None, cache)):
        with lock.held(held_output, held_cache, True, print):
            done = subprocess.run(command(big_site, output, "--cache-dir", str(cache), "--no-wait"),
                                  capture_output=True, text=True, timeout=60)
        assert done.returncode == 75
        busy = output if held_output else cache
        assert done.stderr == (f"Bygget avbröts: ett annat bygge pågår i {busy} (--no-wait). "
                               f"Inget i {output}/ har ändrats.\n")
        assert not output.exists()


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C", "SIGINT"])
@pytest.mark.parametrize("when", ["workers running", 0.8])
def test_a_stopped_build_leaves_the_last_site_whole_and_no_worker_behind(big_site, expected, expected_elsewhere,
                                                                         tmp_path, how, when):
    """Stopped while its workers render, the build leaves the last site; stopped at a moment chosen
    by the clock, which on a busy machine may come just after the swap (or before the build began:
    the command says only "Avbröts."), it leaves one of the two sites whole."""
    output = tmp_path / "out"
    done = subprocess.run(command(big_site, output, "--no-cache"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # stdout is a pipe the test reads to its end, as `build | tee log` does: it ends only when every
    # process holding it (the build and any worker) has ended.
    process = start(big_site, output, "--no-cache", "--base-url", ELSEWHERE, start_new_session=True)
    if when == "workers running":
        wait_for_workers(process)
    else:
        time.sleep(when)
    workers = children(process.pid)
    if how in ("SIGTERM", "SIGINT"):
        process.send_signal(getattr(signal, how))  # to the main process only, as `kill PID`
    else:
        os.killpg(process.pid, signal.SIGINT)  # to the whole group, as the terminal does
    out, err = process.communicate(timeout=30)
    if when != "workers running" and process.returncode == 0:  # on a quiet machine, done before the clock
        assert files_under(output) == expected_elsewhere and "Traceback" not in err
        return
    assert process.returncode in ((143,) if how == "SIGTERM" else (130,)), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    if when != "workers running" and err == "\nAvbröts.\n":  # on a busy machine, stopped before the build began
        assert files_under(output) == expected and not (tmp_path / ".out.staging").exists()
        return
    assert err.count("avbröts") == 1, err
    assert orphans_of(workers) == []
    if when == "workers running":
        assert files_under(output) == expected
    else:
        assert files_under(output) in (expected, expected_elsewhere)
    assert not (tmp_path / ".out.staging").exists()


def test_killed_outright_its_workers_end_with_it(big_site, tmp_path):
    process = start(big_site, tmp_path / "out", "--no-cache")
    wait_for_workers(process)
    workers = children(process.pid)
    process.kill()
    process.communicate(timeout=30)  # returns: no worker holds the pipes
    assert orphans_of(workers) == []


def test_a_closed_stdout_does_not_fail_a_build_that_succeeded(big_site, tmp_path):
    output = tmp_path / "out"
    shell = f"{' '.join(command(big_site, output, '--no-cache'))} | true; echo status=${{PIPESTATUS[0]}} >&2"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=300)
    assert "status=0" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert (output / "index.html").is_file()


def test_a_sigterm_to_every_process_of_the_build_stops_it_and_leaves_the_last_site(big_site, expected, tmp_path):
    """`pkill -f 'build.py build'`, `timeout` or systemd send SIGTERM to the workers too: the build
    must still end (a pool whose workers died of it waited forever), with the last site whole."""
    output = tmp_path / "out"
    done = subprocess.run(command(big_site, output, "--no-cache"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    process = start(big_site, output, "--no-cache", "--base-url", ELSEWHERE, start_new_session=True)
    wait_for_workers(process)
    workers = children(process.pid)
    os.killpg(process.pid, signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    if process.returncode == 0:  # on a quiet machine, done before the signal came
        return
    assert process.returncode == 143, err
    assert "Traceback" not in err and err.count("avbröts") == 1, err
    assert orphans_of(workers) == []
    assert files_under(output) == expected


def test_a_worker_that_dies_fails_the_build_and_leaves_the_last_site(big_site, expected, tmp_path):
    """A worker killed on its own (the kernel's out-of-memory killer, a stray kill): the build says
    so in Swedish and stops, instead of waiting for that worker's pages forever."""
    output = tmp_path / "out"
    done = subprocess.run(command(big_site, output, "--no-cache"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    process = start(big_site, output, "--no-cache", "--base-url", ELSEWHERE)
    wait_for_workers(process)
    workers = children(process.pid)
    if not workers:  # on a quiet machine, done before a worker could be killed
        process.communicate(timeout=30)
        return
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=30)
    if process.returncode == 0:  # the worker had finished its last task already
        return
    assert process.returncode == 1, err
    assert "Traceback" not in err and "avslutades mitt i arbetet" in err, err
    assert orphans_of(workers) == []
    assert files_under(output) == expected
    assert not (tmp_path / ".out.staging").exists()


def test_a_build_that_waited_for_the_lock_checks_the_output_folder_again(big_site, tmp_path):
    """While it waited, the folder became one it must not replace (the editor put a file of their
    own in an empty output folder): the check made before the wait no longer holds."""
    output = tmp_path / "out"
    with lock.held(output, None, True, print):
        waiting = start(big_site, output, "--no-cache")
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the lock
        write(output / "anteckningar.txt", "mina egna")
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 1, err
    assert "innehåller filer som inte kommer från ett bygge" in err and "Traceback" not in err, err
    assert (output / "anteckningar.txt").read_text(encoding="utf-8") == "mina egna"


def _dies_at_seven(item: int) -> int:
    if item == 7:
        os._exit(1)  # as the kernel's out-of-memory killer would end it: no exception, no cleanup
    return item


def test_a_worker_that_dies_in_any_step_is_reported_not_waited_for_or_a_traceback():
    """The first tasks are handed out while the workers start (loading the files), the rest as
    results come back (rendering): a death in either is WorkerLost, the build's Swedish error."""
    from generator.build.parallel import WorkerLost, map_all, workers

    if workers() < 2:  # map_all would work in this process: os._exit would end pytest itself
        pytest.skip("one core: map_all uses no worker processes here")
    with pytest.raises(WorkerLost, match="avslutades mitt i arbetet"):
        map_all(_dies_at_seven, range(200))


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_build_stopped_while_python_reads_its_modules_says_so_without_a_traceback(tmp_path, how):
    """Stopped before cli.run() takes over the signals (while the generator's modules are read, here
    held up on purpose), the command says the build stopped, with a stopped build's exit status."""
    stall = tmp_path / "sitecustomize.py"  # read by Python at start, before build.py's imports
    stall.write_text("import builtins, time\n_real = builtins.__import__\n"
                     "def _slow(name, *args, **kwargs):\n"
                     "    if name == 'generator.cli':\n        time.sleep(5)\n"
                     "    return _real(name, *args, **kwargs)\n"
                     "builtins.__import__ = _slow\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--help"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(getattr(signal, how))
    _, err = process.communicate(timeout=30)
    assert process.returncode == (143 if how == "SIGTERM" else 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.count("avbröts") == 1, err
