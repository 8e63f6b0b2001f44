"""Who is connected to `annotator serve`, from where and since when, for the person running it.

Lines go to the server's terminal (or its log): one when a tab opens or closes, followed
by everyone still connected. Refused requests are logged with their address and what
they asked for, never with the key they carried.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Connection:
    name: str
    role: str  # "annotator" or "reviewer"
    address: str
    since: datetime = field(default_factory=lambda: datetime.now().astimezone())


class Presence:
    def __init__(self, say: Callable[[str], None]):
        self._say = say
        self._open: dict[int, Connection] = {}
        self._ids = itertools.count(1)

    def opened(self, name: str, role: str, address: str | None) -> int:
        ident = next(self._ids)
        self._open[ident] = Connection(name, role, address or "unknown address")
        self._say(f"{name} ({role}) connected from {self._open[ident].address}; {self.summary()}")
        return ident

    def closed(self, ident: int) -> None:
        gone = self._open.pop(ident, None)
        if gone is not None:
            self._say(f"{gone.name} disconnected ({gone.address}); {self.summary()}")

    def refused(self, address: str | None, asked: str, why: str) -> None:
        self._say(f"refused {asked} from {address or 'unknown address'}: {why}")

    def connections(self) -> list[Connection]:
        return list(self._open.values())

    def summary(self) -> str:
        if not self._open:
            return "nobody connected"
        people = ", ".join(f"{c.name} from {c.address} since {c.since:%H:%M:%S}"
                           for c in self._open.values())
        return f"connected: {people}"
