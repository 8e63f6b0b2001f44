"""Personal keys for `annotator serve`: the key alone says who a browser tab is.

Each person gets a random key of 192 bits inside a link, shown once. Only its SHA-256 is
kept, in `.annotator/serve-keys.json`: the keys are long and random, so a fast hash is
enough (there is nothing to guess from it) and a copy of the file opens no session. A
lookup compares the hash with every entry using hmac.compare_digest, so the time taken
says nothing about how close a guess came.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from annotator.core.atomic import atomic_write
from annotator.core.errors import Problem, UsageError

KEYS_FILE = "serve-keys.json"
KEY_BYTES = 24  # 192 bits; the issue asks for at least 128
_LONGEST_KEY = 200  # longer is no key of ours; not worth hashing


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """Name -> hash of that person's key, re-read when the file changes (after --rotate)."""

    def __init__(self, state_dir: Path):
        self.path = state_dir / KEYS_FILE
        self._seen: tuple[int, int] | None = None
        self._hashes: dict[str, str] = {}

    def hashes(self) -> dict[str, str]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._seen, self._hashes = None, {}
            return {}
        if self._seen != (stat.st_mtime_ns, stat.st_size):
            self._hashes = self._read()
            self._seen = (stat.st_mtime_ns, stat.st_size)
        return self._hashes

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(Problem(self.path, f"cannot read the keys file ({exc})"),
                             hint="delete it to issue everyone a new link") from exc
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
            raise UsageError(Problem(self.path, "not a keys file written by annotator serve"),
                             hint="delete it to issue everyone a new link")
        return dict(keys)

    def issue(self, name: str) -> str:
        """A new key for `name`, replacing any earlier one; returned once, never stored."""
        key = new_key()
        hashes = dict(self.hashes())
        hashes[name] = key_hash(key)
        text = json.dumps({"version": 1, "hash": "sha256", "keys": dict(sorted(hashes.items()))},
                          indent=2) + "\n"
        atomic_write(self.path, text, skip_if_same=False)
        os.chmod(self.path, 0o600)  # hashes only, but nobody else needs to read them
        return key

    def who(self, key: str | None) -> str | None:
        """The person whose key this is, else None. Every entry is compared, match or not."""
        if not key or len(key) > _LONGEST_KEY:
            return None
        digest = key_hash(key)
        found = None
        for name, stored in self.hashes().items():
            if hmac.compare_digest(digest, stored):
                found = name
        return found
