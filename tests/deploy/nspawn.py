"""A Debian bookworm machine with systemd as PID 1, booted in systemd-nspawn, for the deployment tests.

The CI machine runs no systemd itself, so the station's units, watchdog, device policy and
installer are tried on a container of their own: a minimal bookworm root made with mmdebstrap
(kept for the next run in CACHE, since it only depends on the package list), started
with an overlay on top so every run begins from the same clean root, and entered with nsenter.

What it takes on a host without systemd (found out on the CI machine):
- `--register=no --keep-unit`: there is no machined or systemd to register with;
- SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1: on the host's hybrid cgroups the container otherwise gets
  the legacy hierarchy, where systemd silently does not enforce DevicePolicy=;
- CAP_BPF, CAP_PERFMON and the bpf system call: PID 1 loads the units' device filters as BPF;
- `--console=read-only`: a console nobody reads would block PID 1;
- the host's network namespace (pip needs PyPI), so the container's Mosquitto listens on the
  host's 127.0.0.1:1883, and only one such container may run at a time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

SUITE = "bookworm"
INSTALLER = Path(__file__).resolve().parents[2] / "scripts" / "install-pi.sh"
# systemd and D-Bus to boot, Xvfb for a screen the touch kiosk can open (the container has no
# display), and the packages install-pi.sh would install: its first run then finds them there
# (they take most of the time, and the root with them is kept for the next run).
BOOT_PACKAGES = ("systemd", "systemd-sysv", "dbus", "ca-certificates", "xvfb")
# Kept between runs (also between CI runs on the same machine): the root depends only on the
# package list, which names it, and is only ever read (each machine writes to an overlay).
CACHE = Path(os.environ.get("KIOSK_TEST_CACHE", "/var/cache/batenbrock-kiosk-tests")) / "nspawn"
BOOT_TIMEOUT_S = 120
COMMAND_TIMEOUT_S = 600
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
TOOLS = ("mmdebstrap", "systemd-nspawn", "nsenter")


def _remove_root(path: Path) -> None:
    """Delete a root folder, first unmounting what a killed mmdebstrap left mounted in it (its /proc,
    /sys and /dev): rmtree would otherwise stop at the read-only /proc, and mmdebstrap then refuses
    the non-empty folder."""
    subprocess.run(["umount", "--recursive", "--lazy", str(path)], capture_output=True, check=False)
    for mount in sorted((line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
                         if line.split()[1].startswith(str(path) + "/")), reverse=True):
        subprocess.run(["umount", "--lazy", mount], capture_output=True, check=False)
    shutil.rmtree(path, ignore_errors=True)


def missing_prerequisites() -> str | None:
    """Why a container cannot be made here, or None."""
    if os.geteuid() != 0:
        return "systemd-nspawn needs root"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} missing (scripts/dev.sh installs mmdebstrap and systemd-container)"
    if not any(Path(p).is_file() for p in ("/sys/fs/cgroup/cgroup.controllers",
                                           "/sys/fs/cgroup/unified/cgroup.controllers")):
        return "no cgroup2 hierarchy on this host"
    return None


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def installer_packages() -> tuple[str, ...]:
    """APT_PACKAGES of install-pi.sh."""
    match = re.search(r"^APT_PACKAGES=\(([^)]*)\)", INSTALLER.read_text(), flags=re.M)
    assert match, "install-pi.sh no longer sets APT_PACKAGES=(...)"
    return tuple(match.group(1).split())


def base_root() -> Path:
    """The pristine bookworm root (built once; reused while the package list stays the same)."""
    packages = BOOT_PACKAGES + installer_packages()
    key = hashlib.sha256(" ".join((SUITE, *packages, "v1")).encode()).hexdigest()[:12]
    root = CACHE / f"{SUITE}-{key}"
    if (root / ".complete").exists():
        return root
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)            # two test runs at once build it once
        if (root / ".complete").exists():
            return root
        building = root.with_name(root.name + ".building")
        for stale in CACHE.glob(f"{SUITE}-*"):       # a build that was killed; roots of older package lists
            if stale != root:
                _remove_root(stale)
        subprocess.run(
            ["mmdebstrap", "--variant=minbase", "--include=" + ",".join(packages),
             # Docs and translations are no use in a test machine; unsafe-io saves fsyncs.
             "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
             "--dpkgopt=path-exclude=/usr/share/locale/*", "--dpkgopt=force-unsafe-io",
             SUITE, str(building)],
            check=True, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
        (building / "etc/hostname").write_text("kiosk-test\n")
        # minbase has no /etc/hosts, and without it "localhost" (the broker's host) resolves nowhere.
        (building / "etc/hosts").write_text("127.0.0.1 localhost kiosk-test\n::1 localhost ip6-localhost\n")
        (building / ".complete").touch()
        building.rename(root)
    return root


class Machine:
    """A booted container on an overlay of `base` (changes go to `folder`), reached with nsenter."""

    def __init__(self, base: Path, folder: Path, binds: dict[str, str] | None = None,
                 writable: dict[str, str] | None = None, env: dict[str, str] | None = None):
        self.base = base
        self.folder = folder
        self.root = folder / "root"
        self.binds = binds or {}             # host path: path inside, read-only
        self.writable = writable or {}       # the same, writable
        self.env = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8", **(env or {})}
        self.process: subprocess.Popen | None = None
        self.pid1 = 0
        self._mounted = False

    # --- the file system -----------------------------------------------------------------
    def mount(self) -> None:
        for name in ("upper", "work", "root"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        f"lowerdir={self.base},upperdir={self.folder / 'upper'},workdir={self.folder / 'work'}",
                        str(self.root)], check=True, capture_output=True, text=True)
        self._mounted = True

    def unmount(self) -> None:
        if self._mounted:
            subprocess.run(["umount", "-l", str(self.root)], capture_output=True)
            self._mounted = False

    def remove(self) -> None:
        """Delete the machine's changes (never through a still mounted root)."""
        if not os.path.ismount(self.root):
            shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def at(cls, base: Path, **kwargs) -> "Machine":
        """A machine in CACHE/machine-PID; folders of runs that ended without cleaning up go."""
        for folder in CACHE.glob("machine-*"):
            pid = folder.name.removeprefix("machine-")
            if pid.isdigit() and not Path(f"/proc/{pid}").exists() and not os.path.ismount(folder / "root"):
                shutil.rmtree(folder, ignore_errors=True)
        folder = CACHE / f"machine-{os.getpid()}"
        machine = cls(base, folder, **kwargs)
        machine.remove()
        return machine

    # --- booting ---------------------------------------------------------------------------
    def boot(self) -> "Machine":
        log = open(self.folder / "console.log", "ab")
        command = ["systemd-nspawn", "--quiet", "--register=no", "--keep-unit", "--boot",
                   f"--directory={self.root}", "--console=read-only",
                   "--capability=CAP_BPF,CAP_PERFMON", "--system-call-filter=bpf"]
        command += [f"--bind-ro={host}:{inside}" for host, inside in self.binds.items()]
        command += [f"--bind={host}:{inside}" for host, inside in self.writable.items()]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                        env={**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"},
                                        start_new_session=True)
        log.close()
        self.pid1 = self._find_pid1()
        # Until the boot is over ("degraded": a unit failed, booted all the same). Early on
        # systemctl cannot reach PID 1 yet and ends at once, so ask until it answers.
        self.wait_for(lambda: self.run("systemctl is-system-running --wait", check=False,
                                       timeout=BOOT_TIMEOUT_S).stdout.strip() in ("running", "degraded"),
                      "the container booted", timeout=BOOT_TIMEOUT_S)
        return self

    def _find_pid1(self) -> int:
        deadline = time.monotonic() + BOOT_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"systemd-nspawn ended at once:\n{self.console()}")
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                except OSError:
                    continue
                if fields.get("PPid", "").strip() == str(self.process.pid) and \
                        fields.get("NSpid", "").split()[-1:] == ["1"]:
                    return int(status.parent.name)
            time.sleep(0.1)
        raise RuntimeError(f"no PID 1 in the container:\n{self.console()}")

    def poweroff(self, timeout: float = BOOT_TIMEOUT_S) -> None:
        """Shut the container down as `systemctl poweroff` does, and wait until it is gone."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.pid1, signal.SIGRTMIN + 4)       # systemd's own "power off" signal
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """End the container at once (nothing in it is wanted any more)."""
        if self.process is None or self.process.poll() is not None:
            return
        # Its PID 1 first: that ends every process in the container. Killing only
        # systemd-nspawn would leave the container running on, without a parent.
        try:
            os.kill(self.pid1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def console(self) -> str:
        path = self.folder / "console.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # --- commands inside --------------------------------------------------------------------
    def run(self, script: str, check: bool = True, timeout: float = COMMAND_TIMEOUT_S,
            env: dict[str, str] | None = None, namespaces: str = "-a") -> subprocess.CompletedProcess:
        """Run a bash script inside (in the `namespaces` nsenter takes), as root, with a clean environment."""
        environment = [f"{key}={value}" for key, value in {**self.env, **(env or {})}.items()]
        result = subprocess.run(["nsenter", "-t", str(self.pid1), *namespaces.split(), "env", "-i", *environment,
                                 "bash", "-c", script], capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"in the container: {script}\nexit {result.returncode}\n"
                                 f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def show(self, unit: str, *properties: str) -> dict[str, str]:
        out = self.run(f"systemctl show {shlex.quote(unit)} --property={','.join(properties)}").stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, condition, what: str, timeout: float = 90.0, every: float = 0.5):
        """condition() until it returns something true; AssertionError naming `what` after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout:.0f} s: {what}")
            time.sleep(every)
