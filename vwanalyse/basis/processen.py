"""Child processes of a build (jupyter-book, Chromium, the rebuild of `verify`) and Ctrl-C.

Ctrl-C is vwanalyse's to handle: the command line turns it into one Dutch line and exit code 130
(`AFGEBROKEN`). A tool that vwanalyse starts therefore runs in its own session, out of reach of
the terminal's Ctrl-C (which would make it print its own traceback), and is stopped quietly, with
its whole process group, when vwanalyse is interrupted. The rebuild of `verify` is vwanalyse
itself: it gets the Ctrl-C too, stops its own workers and kernels and prints the line, so the
parent only waits for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Optional, Sequence

AFGEBROKEN = 130  # exit code after Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2)
AFGEBROKEN_TEKST = ("afgebroken (Ctrl-C): de werkers en kernels zijn gestopt; wat al klaar was, blijft geldig "
                    "en een half geschreven bestand blijft niet achter; draai de opdracht opnieuw om verder te gaan")
STOPTIJD = 10  # seconds a stopped tool gets before it is killed
# A signal can reach any thread of a process, and Python runs its handler (Ctrl-C) in the main
# thread only once that thread runs again: the main thread never waits longer than this at a time.
WACHTTIJD = 0.5  # seconds


class AlGemeld(KeyboardInterrupt):
    """Ctrl-C of which a child vwanalyse (the rebuild of `verify`) already printed the one line."""


def _stop_groep(proces: subprocess.Popen) -> None:
    for sein in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proces.pid, sein)
        except OSError:  # already gone
            return
        try:
            proces.wait(STOPTIJD)
            return
        except subprocess.TimeoutExpired:
            continue


def draai(opdracht: Sequence[str], *, capture_output: bool = False, timeout: Optional[float] = None,
          **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run for a tool in its own session; stopped with its process group on Ctrl-C
    or when `timeout` passes (then subprocess.TimeoutExpired, as subprocess.run raises)."""
    if capture_output:
        kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eind = None if timeout is None else time.monotonic() + timeout
    with subprocess.Popen(list(opdracht), start_new_session=True, **kwargs) as proces:
        try:
            while True:  # in short waits, so that Ctrl-C is handled at once (see WACHTTIJD)
                try:
                    uit, fout = proces.communicate(timeout=WACHTTIJD)
                    break
                except subprocess.TimeoutExpired:
                    if eind is not None and time.monotonic() > eind:
                        raise subprocess.TimeoutExpired(proces.args, timeout) from None
        except BaseException:
            _stop_groep(proces)
            raise
    return subprocess.CompletedProcess(proces.args, proces.returncode, uit, fout)


def _wacht(proces: subprocess.Popen) -> int:
    while True:
        try:
            return proces.wait(WACHTTIJD)
        except subprocess.TimeoutExpired:
            continue


def draai_vwanalyse(opdracht: Sequence[str], vervang: Optional[tuple[str, str]] = None, **kwargs) -> int:
    """Run vwanalyse itself as a child (same process group); returns its exit code.

    With `vervang` (old, new), every line the child prints on stdout has `old` replaced by `new`
    (a temporary folder that is gone when the reader looks). On Ctrl-C the child is asked to stop
    as well (it may not have seen the signal, e.g. when only the parent was interrupted) and given
    the time to stop its workers and kernels; when it reported the interruption itself, `AlGemeld`
    follows, so the parent prints nothing more.
    """
    if vervang:
        kwargs.update(stdout=subprocess.PIPE, text=True, bufsize=1)
    proces = subprocess.Popen(list(opdracht), **kwargs)
    try:
        if vervang:  # the child's lines end in short intervals; a line ends the wait as well
            for regel in proces.stdout:
                print(regel.replace(*vervang), end="", flush=True)
        return _wacht(proces)
    except KeyboardInterrupt:
        try:
            proces.send_signal(signal.SIGINT)
            proces.wait(60)
        except (OSError, subprocess.TimeoutExpired):
            proces.kill()
            proces.wait()
        if proces.returncode == AFGEBROKEN:
            raise AlGemeld() from None
        raise
