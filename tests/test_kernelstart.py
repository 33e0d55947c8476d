"""Kernels under load: many notebook kernels started at the same time never fail (issue 14).

With TCP, jupyter_client picks a kernel's ports by binding to port 0 and closing the socket again;
a kernel started at the same moment, or any other process that takes a free port in between,
can get such a port before the kernel binds it, and the kernel dies with "Address already in
use". The runner's kernels use IPC sockets in a private folder instead (kernelstart.KernelManager).

The stress test (run by the failure catalogue, tests/test_storingen.py) starts 200 kernels: 4
runner processes (as the build's pool, with the warm forkserver), each starting its kernels 10
at a time, while another process keeps taking free ports for a moment and giving them back (what
other kernels and connections on a busy machine do, only more often, so that a port race shows
within 200 kernels). It expects every kernel to start, answer and stop. Over TCP the same test fails (see bench/README.md for the counts).
"""

import asyncio
import multiprocessing
import os
import socket
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

PROCESSEN = 4
PER_PROCES = 50  # 4 x 50 = 200 kernels
TEGELIJK = 10


def _kernels(aantal: int, tegelijk: int, cwd: str) -> list[str]:
    """Start `aantal` kernels in this runner process, `tegelijk` at a time; the failures."""
    from vwanalyse.uitvoer import kernelstart

    async def een(nummer: int):
        km = kernelstart.KernelManager(kernel_name="python3")
        try:
            await km.start_kernel(cwd=cwd)
            kc = km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=120)
                antwoord = await kc.execute(f"{nummer} * 2", reply=True, timeout=120)
                if antwoord["content"]["status"] != "ok":
                    return f"kernel {nummer}: {antwoord['content']}"
            finally:
                kc.stop_channels()
            return None
        except Exception as fout:  # noqa: BLE001 - every failure is counted and named
            return f"kernel {nummer}: {type(fout).__name__}: {fout}"
        finally:
            try:
                await km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a kernel that never started has nothing to stop
                pass

    async def alle():
        fouten = []
        for begin in range(0, aantal, tegelijk):
            fouten += await asyncio.gather(*(een(i) for i in range(begin, min(aantal, begin + tegelijk))))
        return [f for f in fouten if f]

    return asyncio.run(alle())


POORTEN = 400  # free ports the other process holds at a time


def _neem_poorten(stop, aantal: int = POORTEN) -> None:
    """Take `aantal` free ports on 127.0.0.1 for 20 ms, give them back, again, until `stop` is set."""
    while not stop.is_set():
        bezet = []
        try:
            for _ in range(aantal):
                s = socket.socket()
                s.bind(("127.0.0.1", 0))
                s.listen()
                bezet.append(s)
            time.sleep(0.02)
        except OSError:  # out of ports or descriptors for a moment: give them back and go on
            pass
        finally:
            for s in bezet:
                s.close()


def stress(tmp_path, processen=PROCESSEN, per_proces=PER_PROCES, tegelijk=TEGELIJK, poorten=POORTEN) -> list[str]:
    from vwanalyse.uitvoer import kernelstart

    stop = multiprocessing.Event()
    ander = multiprocessing.Process(target=_neem_poorten, args=(stop, poorten), daemon=True)
    ander.start()
    try:
        with ProcessPoolExecutor(processen, initializer=kernelstart.werker, initargs=([], str(tmp_path))) as pool:
            taken = [pool.submit(_kernels, per_proces, tegelijk, str(tmp_path)) for _ in range(processen)]
            return [f for t in taken for f in t.result()]
    finally:
        stop.set()
        ander.join(10)


def test_kernels_praten_over_ipc_in_een_eigen_map(tmp_path):
    """The connection: ipc, socket files in a private folder (0700) named after the kernel."""
    from vwanalyse.uitvoer import kernelstart

    async def start():
        km = kernelstart.KernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        try:
            info = km.get_connection_info()
            map = os.path.dirname(km.connection_file)
            return info["transport"], info["ip"], map, oct(os.stat(map).st_mode & 0o777), km.kernel_id
        finally:
            await km.shutdown_kernel(now=True)

    transport, ip, map, modus, kernel_id = asyncio.run(start())
    assert transport == "ipc" and modus == "0o700"
    assert ip == os.path.join(map, kernel_id) and len(ip) + 3 < 107  # a socket path holds 107 bytes
    assert not [n for n in os.listdir(map) if kernel_id in n], "the sockets and connection file are removed"
