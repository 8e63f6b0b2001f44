"""Pausing the cyclic garbage collector around bulk loads: its own module, so opening one
article (corpus.load) does not import the annotation index and multiprocessing with it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic collector paused for a bulk load (and whatever is built from it).

    Building 10^5..10^6 small tuples, none in a cycle, triggers repeated full collections
    that free nothing (reference counting frees them). When it comes back on, what was
    made meanwhile goes straight to the oldest generation (gc.freeze then gc.unfreeze:
    two list splices, nothing is exempted from later full collections), or the first
    young collection would walk the whole index at once (about 0.4 s per annotator at
    10,000 articles). Nested uses act once, at the outermost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
