"""The next tab's process, started before the tab: its imports done, waiting for a command.

Most of a tab's start-up is Python importing Textual and the editor, about half a second
on a small machine against a one-second target for the first frame. So the server keeps
two processes ready (tab.py's `spare`), started with the environment textual-serve gives
an app (Textual reads its driver, colours and frame rate when it is imported). The next tab
to connect gets the older one, with the tab's command line and size in a start message.

A replacement's imports take a processor for most of a second, which would slow the keys
of whoever is typing. So it starts when a tab ends (its person has stopped typing); only
when none is left does it start sooner, once the tab that took the last one has drawn its
first frame. With two kept, one is still ready for a reload or a second person meanwhile.

Each tab is still its own process, the child of the server, with the same pipes, the same
protocol and the same end as before. A spare that the server never hands out exits when
its stdin closes: when the server stops, or dies.
"""

from __future__ import annotations

import asyncio
import json
import logging
from asyncio.subprocess import PIPE, Process
from collections.abc import Mapping, Sequence

from annotator.web.tab import START

SPARES = 2  # about 40 MB each
REFILL_AFTER_END_S = 1.0  # a tab's process saves and quits meanwhile
REFILL_AFTER_FRAME_S = 0.2  # none left: the browser draws the frame meanwhile
STOP_WAIT_S = 2.0

log = logging.getLogger("annotator.serve")


def start_message(argv: Sequence[str], environ: Mapping[str, str]) -> bytes:
    body = json.dumps({"argv": list(argv), "environ": dict(environ)}).encode("utf-8")
    return START + len(body).to_bytes(4, "big") + body


class Spares:
    """Warm processes, the oldest handed to the next tab; replaced after each."""

    def __init__(self, python: str, environment: Mapping[str, str], count: int = SPARES):
        self.python = python
        self.environment = dict(environment)
        self.count = count
        self._waiting: list[Process] = []  # oldest first
        self._refill: asyncio.TimerHandle | None = None
        self._filling: asyncio.Task[None] | None = None
        self._stopped = False

    async def _spawn(self) -> Process:
        # The interpreter itself, no shell in between: one process per tab, not two.
        return await asyncio.create_subprocess_exec(
            self.python, "-m", "annotator.web.tab", stdin=PIPE, stdout=PIPE, stderr=PIPE,
            env=self.environment)

    def _alive(self) -> list[Process]:
        self._waiting = [p for p in self._waiting if p.returncode is None]
        return self._waiting

    def fill(self) -> asyncio.Task[None]:
        """Have the spares ready (at start-up, and a moment after each tab took one)."""
        self._refill = None
        if self._filling is None or self._filling.done():
            self._filling = asyncio.get_running_loop().create_task(self._fill())
        return self._filling

    async def _fill(self) -> None:
        while not self._stopped and len(self._alive()) < self.count:
            try:
                process = await self._spawn()
            except OSError as exc:  # the next tab starts its own, and says why if it cannot
                log.warning("could not start a spare session process: %s", exc)
                return
            if self._stopped:  # stop() came while it was starting
                await _end(process)
                return
            self._waiting.append(process)

    async def take(self, argv: Sequence[str], environ: Mapping[str, str]) -> Process:
        """A process running `annotator *argv` for a tab: the spare if there is one (else a
        new one, as slow as without spares), told what to run with `environ` added."""
        waiting = self._alive()
        process = waiting.pop(0) if waiting else await self._spawn()
        assert process.stdin is not None
        process.stdin.write(start_message(argv, environ))
        try:
            await process.stdin.drain()
        except (ConnectionError, RuntimeError):
            pass  # it died: textual-serve's reader finds no app and prints its stderr
        return process

    def tab_drawn(self) -> None:
        """A tab has sent its first frame: if it took the last spare, start another now."""
        if not self._alive():
            self.refill_in(REFILL_AFTER_FRAME_S)

    def tab_ended(self) -> None:
        self.refill_in(REFILL_AFTER_END_S)

    def refill_in(self, seconds: float) -> None:
        """Start the next spare in `seconds` (or sooner, if that was planned already)."""
        if self._stopped:
            return
        loop = asyncio.get_running_loop()
        if self._refill is not None:
            if self._refill.when() <= loop.time() + seconds:
                return
            self._refill.cancel()
        self._refill = loop.call_later(seconds, self.fill)

    async def stop(self) -> None:
        """The server is stopping: no new spare, and the waiting one exits (stdin closed)."""
        self._stopped = True
        if self._refill is not None:
            self._refill.cancel()
        if self._filling is not None:
            await self._filling
        waiting, self._waiting = self._alive(), []
        await asyncio.gather(*(_end(process) for process in waiting))


async def _end(process: Process) -> None:
    """Close a spare's stdin (it exits, having run nothing); stop it if it does not."""
    assert process.stdin is not None
    process.stdin.close()
    try:
        await asyncio.wait_for(process.wait(), STOP_WAIT_S)
    except TimeoutError:
        process.kill()
        await process.wait()
