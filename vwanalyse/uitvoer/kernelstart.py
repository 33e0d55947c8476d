"""Notebook kernels forked from a warm process instead of started from scratch.

Every notebook still runs in its own new kernel process: nothing a notebook does is seen by
another one. What changes is how that process starts. Normally jupyter_client starts a new
Python interpreter, which then imports ipykernel, pandas, matplotlib and vwanalyse: about 2 s
of CPU per notebook, 23 times per build. Here each runner process keeps a multiprocessing
forkserver that has done those imports once; a kernel is a fork of it (copy-on-write), so it
starts with the modules already loaded.

Use `KernelManager` as papermill's `kernel_manager_class` in a process that called `start()`.
Kernel specs that do not run ipykernel in this interpreter start the normal way, and so does every
kernel when the forkserver is gone. `_Popen` follows Python 3.11's multiprocessing internals
(pyproject pins 3.11): check it when moving to another Python. The tests compare a warm kernel's
notebook byte for byte with a normally started one.

One difference remains by design: a module's import-time side effects run once in the forkserver,
before the notebook's first cell. `vwanalyse.weergave.figuren` switches matplotlib to Agg when imported, so
a template that runs `%matplotlib inline` before importing it keeps the inline backend here,
where a new interpreter would switch back to Agg.

Kernels talk over Unix domain sockets (ZeroMQ's IPC transport) in a private folder of the runner
process (mode 0700, removed when the process ends), not over TCP. With TCP, jupyter_client picks
five free ports by binding to port 0 and closing the socket again; between that and the kernel's
own bind, any other process (another kernel starting at the same time, or an outgoing connection
that gets an ephemeral port) can take the port, and the kernel dies with "Address already in use".
Socket files named after the kernel's uuid in a private folder cannot be taken by anyone else.
It also ends ipykernel's warning that a TCP kernel runs without encryption. Windows has no IPC
transport; there kernels keep TCP.

`werker()` is the initializer of a runner process: it ignores Ctrl-C (the main process decides)
and, when the main process stops it with SIGTERM, stops the kernels it started before it exits
(a kernel that is being started gets its pid first). A forked kernel keeps its forkserver alive
(it holds the forkserver's "alive" pipe, as every forkserver child does), so it cannot rely on
ipykernel's check that its parent is gone; it watches the runner process instead and exits within
a second when that is gone, however it ended.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import set_spawning_popen
from typing import Any, Optional

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

_gestart = False
IPC = sys.platform != "win32"  # Unix domain sockets for the kernels' channels (see module doc)
_ipc_map: Optional[str] = None  # this process's private folder of connection files and sockets
_lopend: set[int] = set()  # process groups of the kernels this process started and did not stop yet
_starten = 0  # kernels being started right now (their pid is not known yet)
_stoppen = False  # SIGTERM came during a start: stop as soon as the kernel has its pid


def ipc_map() -> str:
    """This process's private folder for kernel sockets, made on first use and removed at its exit."""
    global _ipc_map
    if _ipc_map is None or not os.path.isdir(_ipc_map):
        basis = tempfile.gettempdir()
        if len(basis) > 40:  # a socket path holds at most 107 bytes; the name below needs about 50
            basis = "/tmp"
        _ipc_map = tempfile.mkdtemp(prefix="vwk-", dir=basis)  # 0700: only this user
        # multiprocessing's finalizers run when a pool worker exits (atexit does not run there)
        util.Finalize(None, shutil.rmtree, args=(_ipc_map, True), exitpriority=0)
    return _ipc_map


def stop_kernels() -> None:
    """Kill every kernel this process started and has not shut down (Ctrl-C, a stopped worker)."""
    for groep in list(_lopend):
        # the group, and the kernel itself: one just forked may not have called setsid yet (and
        # would then find no connection file and start on its own, over TCP)
        for stop in (os.killpg, os.kill):
            try:
                stop(groep, signal.SIGKILL)
            except OSError:
                pass
        _lopend.discard(groep)
    if _ipc_map:
        shutil.rmtree(_ipc_map, ignore_errors=True)


def _gestopt(signum, frame) -> None:
    global _stoppen
    if _starten:
        _stoppen = True  # _Provisioner.launch_kernel stops once the new kernel is known
        return
    stop_kernels()
    os._exit(128 + signum)


def werker(modules: list[str], cwd: str) -> None:
    """Initializer of a runner process: Ctrl-C is the main process's to handle, SIGTERM stops this
    process and its kernels; then the forkserver as in `start`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _gestopt)
    start(modules, cwd)


def start(modules: list[str], cwd: str) -> None:
    """Start this process's forkserver with `modules` imported (call once per runner process).

    The forkserver runs in `cwd`, the kernels' working folder: its sys.path starts with '' like a
    kernel's, so it imports the same files a kernel started there would.
    """
    global _gestart
    forkserver.set_forkserver_preload(["ipykernel.kernelapp", *sorted(modules)])
    terug = os.getcwd()
    os.chdir(cwd)
    try:
        forkserver.ensure_running()
    finally:
        os.chdir(terug)
    _gestart = True


def _waak(runner: int) -> None:
    """Exit when the runner process that started this kernel is gone (see module doc)."""
    while True:
        time.sleep(1)
        try:
            os.kill(runner, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid was given to a process of another user: ours is gone
            os._exit(1)


def _kernel(argv: list[str], cwd: str, env: dict[str, str], runner: int) -> None:
    """The forked kernel process: what `python -m ipykernel_launcher ARGV` would do."""
    os.setsid()  # its own process group, as jupyter_client gives a kernel (interrupts go to the group)
    threading.Thread(target=_waak, args=(runner,), name="vwanalyse-waak", daemon=True).start()
    os.environ.clear()
    os.environ.update(env)
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # as jupyter_client's launcher sets it
    os.chdir(cwd)
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel.kernelapp import IPKernelApp

    # exit when the forkserver (the parent) dies, like a kernel whose manager died
    IPKernelApp.launch_instance(argv=[*argv, f"--IPKernelApp.parent_handle={os.getppid()}"])


class _Popen(popen_forkserver.Popen):
    def _launch(self, process_obj):
        # The standard library's _launch (Python 3.11) without the main module in the preparation
        # data: a kernel must not re-run the script that started the build.
        prep_data = {k: v for k, v in spawn.get_preparation_data(process_obj._name).items()
                     if k not in ("init_main_from_path", "init_main_from_name")}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _KernelProces(multiprocessing.context.ForkServerProcess):
    _Popen = staticmethod(_Popen)


class _Proces:
    """The part of subprocess.Popen that jupyter_client's LocalProvisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, proces: multiprocessing.process.BaseProcess):
        self._proces = proces
        self.pid = proces.pid

    def poll(self) -> Optional[int]:
        return self._proces.exitcode

    def wait(self, timeout: Optional[float] = None) -> Optional[int]:
        self._proces.join(timeout)
        return self._proces.exitcode

    def send_signal(self, signum: int) -> None:
        if self._proces.exitcode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self._proces.terminate()

    def kill(self) -> None:
        self._proces.kill()


class _Provisioner(LocalProvisioner):
    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        global _starten
        _starten += 1
        try:
            info = await self._start(cmd, **kwargs)
            _lopend.add(self.pgid or self.pid)
        finally:
            _starten -= 1
        if _stoppen and not _starten:  # SIGTERM came while this kernel started
            _gestopt(signal.SIGTERM, None)
        return info

    async def _start(self, cmd: list[str], **kwargs: Any):
        if not _gestart or cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        proces = _KernelProces(target=_kernel, args=(cmd[3:], cwd, env, os.getpid()), name="kernel")
        try:
            proces.start()
        except (OSError, EOFError) as fout:
            # the forkserver is gone (e.g. a preloaded module raised on import): start the normal
            # way, so the notebook itself reports what is wrong
            self.log.warning("warme kernelstart mislukt (%s); de kernel start in een nieuwe interpreter", fout)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _Proces(proces)
        self.pid = self.pgid = proces.pid
        self.cwd = cwd
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        _lopend.discard(self.pgid or self.pid)
        await super().cleanup(restart=restart)


class KernelManager(AsyncKernelManager):
    """AsyncKernelManager whose kernels are forked from the warm forkserver and talk over IPC
    sockets in a private folder (see module doc)."""

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = _Provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            if IPC:
                # before the connection file is written (pre_start_kernel): socket files named after
                # the kernel's uuid, in a folder only this process uses, so no name can be taken
                map = ipc_map()
                self.transport = "ipc"
                self.connection_file = os.path.join(map, f"kernel-{self.kernel_id}.json")
                self.ip = os.path.join(map, self.kernel_id)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_interrupt_kernel(self) -> None:
        # jupyter_client interrupts a kernel before every shutdown request; the notebook is done by
        # then, and an interrupt that lands in a message handler only makes the kernel log
        # "KeyboardInterrupt caught in kernel" on the terminal
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()
