"""Key-to-rendered timing shared by the editor and review benches.

A key counts as handled when the next frame reaches the (headless) display, so the
figure includes the key's handler, the refresh and Textual's frame pacing.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


class KeyTimer:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames = 0
        display = app._display

        def counted_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.frames += 1

        app._display = counted_display

    async def press(self, key: str) -> tuple[float, float]:
        """Send the key as the terminal driver would; (wall ms, CPU ms) until the next frame."""
        from textual import events

        seen = self.frames
        started, cpu_started = time.perf_counter(), time.process_time()
        self.app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        while self.frames == seen:
            await asyncio.sleep(0)
        return ((time.perf_counter() - started) * 1000,
                (time.process_time() - cpu_started) * 1000)
