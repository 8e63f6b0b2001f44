"""A child process that must end with its parent: export workers, `annotator serve` tabs."""

from __future__ import annotations

import signal
import sys

_PR_SET_PDEATHSIG = 1


def sigterm_when_parent_dies() -> bool:
    """Ask the kernel for SIGTERM when the parent process dies (Linux's prctl
    PR_SET_PDEATHSIG); False where there is no such call, for the caller's own fallback."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False
