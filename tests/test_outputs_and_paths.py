"""Where ptcli writes and what it opens: outputs, standard output, modes and paths (issue 12).

Device tests make their own device nodes in a temporary folder: never aim a test at the
machine's /dev/null or /dev/full, a regression would break the machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ptcli.catalogue_file import packaged_path
from tests.conftest import run_process

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


def run_to(stdout: Any, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ptcli as a process whose standard output is ``stdout`` (a file, say)."""
    return subprocess.run(
        [sys.executable, "-m", "ptcli", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        **kwargs,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line(err: str) -> bool:
    return err.startswith("ptcli: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def logged(run: Any, db: Path) -> Path:
    assert run("pain", "log", "3", "--at", "-1d").code == 0
    assert run("pain", "log", "4").code == 0
    return db


class TestOutputTargets:
    def test_a_fifo_is_written_through_not_replaced(self, logged: Path, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()
        process = run_process("export", "--output", str(fifo), timeout=60)
        reader.join(timeout=60)
        assert process.returncode == 0, process.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert [e["score"] for e in json.loads(received[0])["pain"]] == [3, 4]

    @ROOT_ONLY
    def test_a_device_is_written_through_not_replaced(self, logged: Path, tmp_path: Path) -> None:
        null = tmp_path / "null"
        os.mknod(null, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        null.chmod(0o666)
        process = run_process("export", "--output", str(null))
        assert process.returncode == 0, process.stderr
        info = os.lstat(null)
        assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
        assert stat.S_IMODE(info.st_mode) == 0o666
        assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]

    def test_a_socket_is_written_through(self, logged: Path, tmp_path: Path) -> None:
        import socket

        path = tmp_path / "s.sock"
        received = bytearray()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(str(path))
            server.listen(1)

            def accept() -> None:
                connection, _ = server.accept()
                with connection:
                    while chunk := connection.recv(65536):
                        received.extend(chunk)

            thread = threading.Thread(target=accept)
            thread.start()
            process = run_process("export", "--output", str(path), timeout=60)
            thread.join(timeout=60)
        assert process.returncode == 0, process.stderr
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        assert len(json.loads(received)["pain"]) == 2

    @pytest.mark.parametrize("target", ["-", "/dev/stdout"])
    def test_dash_and_dev_stdout_are_standard_output(
        self, logged: Path, tmp_path: Path, target: str
    ) -> None:
        process = run_process("export", "--output", target, cwd=tmp_path)
        assert process.returncode == 0, process.stderr
        assert len(json.loads(process.stdout)["pain"]) == 2
        assert not (tmp_path / "-").exists()

    def test_dev_stdout_redirected_to_a_file_appends_and_keeps_the_file(
        self, logged: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out.txt"
        out.write_text("before\n")
        inode = out.stat().st_ino
        with open(out, "a") as file:
            process = run_to(file, "export", "--output", "/dev/stdout")
        assert process.returncode == 0, process.stderr
        assert out.stat().st_ino == inode
        before, rest = out.read_text().split("\n", 1)
        assert before == "before" and len(json.loads(rest)["pain"]) == 2

    def test_a_symlink_is_followed_and_its_target_keeps_its_mode(
        self, run: Any, logged: Path, tmp_path: Path
    ) -> None:
        real = tmp_path / "real.json"
        real.write_text("old")
        real.chmod(0o644)
        link = tmp_path / "link.json"
        link.symlink_to(real)
        result = run("export", "--output", str(link))
        assert result.code == 0, result.err
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert len(json.loads(real.read_text())["pain"]) == 2
        assert mode(real) == 0o644

    def test_a_new_output_is_private_whatever_the_umask(self, logged: Path, tmp_path: Path) -> None:
        out = tmp_path / "new.json"
        process = run_process("export", "--output", str(out), preexec_fn=lambda: os.umask(0))
        assert process.returncode == 0, process.stderr
        assert mode(out) == 0o600

    def test_a_folder_is_refused(self, run: Any, logged: Path, tmp_path: Path) -> None:
        folder = tmp_path / "folder"
        folder.mkdir()
        (tmp_path / "to-folder").symlink_to(folder)
        for target in (folder, tmp_path / "to-folder"):
            result = run("export", "--output", str(target))
            assert result.code == 2 and one_line(result.err), result.err
        assert list(folder.iterdir()) == []


class TestOtherStores:
    @pytest.fixture
    def alex(self, run: Any, tmp_path: Path) -> Path:
        store = tmp_path / "patients" / "alex.json"
        assert run("--db", str(store), "pain", "log", "7", "--at", "-1d").code == 0
        assert run("--db", str(store), "pain", "log", "8").code == 0
        return store

    @pytest.mark.parametrize("name", ["alex.json", "alex.json.bak", "alex.json.lock"])
    def test_another_store_its_backup_or_lock_is_refused(
        self, run: Any, logged: Path, alex: Path, name: str
    ) -> None:
        target = alex.with_name(name)
        before = {p.name: p.read_bytes() for p in alex.parent.iterdir()}
        result = run("export", "--output", str(target))
        assert result.code == 1 and one_line(result.err), result.err
        assert "--force" in result.err
        assert {p.name: p.read_bytes() for p in alex.parent.iterdir()} == before

    def test_a_missing_backup_of_another_store_is_refused_too(
        self, run: Any, logged: Path, tmp_path: Path
    ) -> None:
        store = tmp_path / "one" / "sam.json"
        run("--db", str(store), "pain", "log", "2")
        result = run("export", "--output", str(store.with_name("sam.json.bak")))
        assert result.code == 1 and "backup" in result.err
        assert not store.with_name("sam.json.bak").exists()

    def test_force_replaces_another_store(self, run: Any, logged: Path, alex: Path) -> None:
        result = run("export", "--output", str(alex), "--force")
        assert result.code == 0, result.err
        assert [e["score"] for e in json.loads(alex.read_text())["pain"]] == [3, 4]

    def test_the_current_store_is_refused_even_with_force(
        self, run: Any, logged: Path, tmp_path: Path
    ) -> None:
        link = tmp_path / "link.json"
        link.symlink_to(logged)
        before = logged.read_bytes()
        for target in (logged, logged.with_name("ptcli.json.bak"), link):
            result = run("export", "--output", str(target), "--force")
            assert result.code == 2 and "is the store itself" in result.err
        assert logged.read_bytes() == before

    def test_the_backup_beside_a_symlinked_store_is_the_store_s_own(
        self, run: Any, tmp_path: Path
    ) -> None:
        real = tmp_path / "real" / "store.json"
        link = tmp_path / "link.json"
        run("--db", str(real), "pain", "log", "3")
        link.symlink_to(real)
        run("--db", str(link), "pain", "log", "4")
        backup = tmp_path / "link.json.bak"
        before = backup.read_bytes()
        result = run("--db", str(link), "export", "--output", str(backup), "--force")
        assert result.code == 2 and "is the store itself" in result.err
        assert backup.read_bytes() == before

    def test_routine_has_force_too(self, run: Any, logged: Path, alex: Path) -> None:
        assert run("routine", "--format", "json", "--output", str(alex)).code == 1
        assert run("routine", "--format", "json", "--output", str(alex), "--force").code == 0


def _limit_file_size(size: int) -> Any:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


class TestStandardOutput:
    @pytest.mark.parametrize(
        "args",
        [
            ["export"],
            ["export", "--format", "csv", "--table", "pain"],
            ["export", "--format", "ndjson"],
            ["history"],
            ["routine", "--format", "markdown"],
            [],  # the help, printed after the command's own flush: checked at exit
        ],
    )
    def test_a_write_error_is_one_line_and_exit_1(
        self, run: Any, db: Path, tmp_path: Path, args: list[str]
    ) -> None:
        for n in range(12):
            run("pain", "log", str(n % 11), "--at", f"-{n}d", "--note", "n" * 40)
        out = tmp_path / "out"
        with open(out, "w") as file:
            process = run_to(file, *args, preexec_fn=_limit_file_size(200))
        assert (process.returncode, process.stderr) == (
            1,
            "ptcli: could not read or write: File too large\n",
        )

    def test_a_closed_pipe_stays_quiet(self, run: Any, db: Path) -> None:
        for n in range(30):
            run("pain", "log", str(n % 11), "--at", f"-{n}d", "--note", "n" * 200)
        process = subprocess.Popen(
            [sys.executable, "-m", "ptcli", "export", "--format", "csv", "--table", "pain"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.wait(timeout=60)
        assert process.stderr.read() == b""
        assert process.returncode in (0, 1)


class TestOutputTemporaries:
    def test_leftovers_of_killed_writers_are_removed_next_time(
        self, run: Any, logged: Path, tmp_path: Path
    ) -> None:
        folder = tmp_path / "exports"
        folder.mkdir()
        dead = folder / ".week.json.tmp-999999999-0badc0de"  # no such process
        old = folder / f".month.json.tmp-{os.getpid()}-00c0ffee"  # alive, but an hour old
        fresh = folder / f".day.json.tmp-{os.getpid()}-0000beef"  # a live writer's
        unrelated = folder / ".notes.tmp-keep"
        for path in (dead, old, fresh, unrelated):
            path.write_bytes(b"half a write")
        hour_ago = time.time() - 3600
        os.utime(old, (hour_ago, hour_ago))
        assert run("export", "--output", str(folder / "week.json")).code == 0
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [fresh.name, unrelated.name, "week.json"]
        )

    def test_an_export_killed_before_its_rename_is_cleaned_up_by_the_next(
        self, logged: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out.json"
        stall = (
            "import os, sys, time\n"
            "replace = os.replace\n"
            "def stall(source, target):\n"
            "    if str(target).endswith('out.json'):\n"
            "        print('written', flush=True)\n"
            "        time.sleep(600)\n"
            "    replace(source, target)\n"
            "os.replace = stall\n"
            "from ptcli.cli import main\n"
            "sys.exit(main())\n"
        )
        writer = subprocess.Popen(
            [sys.executable, "-c", stall, "export", "--output", str(out)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline() == "written\n"
        writer.kill()
        writer.wait()
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".out.json.tmp-")]
        assert len(leftovers) == 1  # killed between writing and renaming
        assert run_process("export", "--output", str(out)).returncode == 0
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
        assert len(json.loads(out.read_text())["pain"]) == 2


class TestModes:
    def test_new_folders_are_private_under_umask_000(self, tmp_path: Path) -> None:
        store = tmp_path / "a" / "b" / "c" / "store.json"
        process = run_process(
            "--db", str(store), "pain", "log", "3", preexec_fn=lambda: os.umask(0)
        )
        assert process.returncode == 0, process.stderr
        for folder in (tmp_path / "a", tmp_path / "a" / "b", store.parent):
            assert mode(folder) == 0o700, folder
        assert mode(store) == 0o600

    def test_the_catalogue_cache_folders_are_private_under_umask_000(self, tmp_path: Path) -> None:
        cache = tmp_path / "x" / "cache"
        process = run_process(
            "catalogue",
            "list",
            env={"XDG_CACHE_HOME": str(cache)},
            preexec_fn=lambda: os.umask(0),
        )
        assert process.returncode == 0, process.stderr
        made = [cache.parent, cache, *(p for p in cache.rglob("*") if p.is_dir())]
        assert len(made) >= 2 and all(mode(folder) == 0o700 for folder in made), made

    def test_a_backup_is_always_private(self, run: Any, db: Path) -> None:
        run("pain", "log", "3")
        db.chmod(0o644)
        run("pain", "log", "4")
        assert mode(db.with_name("ptcli.json.bak")) == 0o600

    def test_a_read_only_store_is_never_written(self, run: Any, db: Path) -> None:
        run("pain", "log", "3")
        run("pain", "log", "4")
        db.chmod(0o400)
        before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
        process = run_process("pain", "log", "5")
        assert process.returncode == 1 and one_line(process.stderr), process.stderr
        assert "read-only" in process.stderr
        assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before
        assert mode(db) == 0o400
        assert run("pain", "list").code == 0  # reading it is fine


class TestPaths:
    def test_a_fifo_as_the_store_is_refused_at_once(self, db: Path) -> None:
        db.parent.mkdir(parents=True)
        os.mkfifo(db)
        for args in (["history"], ["pain", "log", "3"], ["today"]):
            process = run_process(*args, timeout=30)
            assert process.returncode == 1 and one_line(process.stderr), process.stderr
            assert "not a regular file" in process.stderr
        assert stat.S_ISFIFO(os.lstat(db).st_mode)

    @ROOT_ONLY
    def test_a_device_as_the_store_is_refused(self, tmp_path: Path) -> None:
        null = tmp_path / "null"
        os.mknod(null, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        process = run_process("--db", str(null), "pain", "log", "3", timeout=30)
        assert process.returncode == 1 and "not a regular file" in process.stderr
        assert stat.S_ISCHR(os.lstat(null).st_mode)

    def test_an_empty_db_is_refused(self, tmp_path: Path) -> None:
        for args, env in (
            (["--db", "", "pain", "log", "3"], {}),
            (["pain", "log", "3"], {"PTCLI_DB": ""}),
            (["history"], {"PTCLI_DB": ""}),
            (["--catalogue", "", "today"], {}),
            (["today"], {"PTCLI_CATALOGUE": ""}),
        ):
            process = run_process(*args, env={**env, "XDG_DATA_HOME": str(tmp_path / "x")})
            assert process.returncode == 2 and one_line(process.stderr), process.stderr
            assert "empty" in process.stderr
        assert not (tmp_path / "x").exists()

    def test_an_empty_output_is_refused(self, run: Any, logged: Path) -> None:
        result = run("export", "--output", "")
        assert result.code == 2 and one_line(result.err) and "empty" in result.err

    def test_a_quoted_tilde_is_the_home_folder(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        home.mkdir()
        shutil.copy(packaged_path(), home / "cat.yaml")
        env = {"HOME": str(home)}
        steps = [
            ["--db", "~/s.json", "pain", "log", "3"],
            ["--db", "~/s.json", "export", "--output", "~/out.json"],
            ["--catalogue", "~/cat.yaml", "catalogue", "list", "--json"],
        ]
        for args in steps:
            process = run_process(*args, env=env, cwd=tmp_path)
            assert process.returncode == 0, process.stderr
        assert (home / "s.json").is_file()
        assert len(json.loads((home / "out.json").read_text())["pain"]) == 1
        assert not (tmp_path / "~").exists()
