"""Values kept in a cache until whatever they were computed from changes.

A kept value is stamped with the generation it was computed in; a change starts a new
generation (``bump``), so every value stamped before it is computed again on its next read.
The generation and the value are read in one round trip (``read``). A generation the cache
lost (Redis restarted, or evicted it) starts afresh from the clock, never from a number an old
value may carry.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches


@dataclass(frozen=True)
class Generations:
    cache_alias: str
    key: str

    def _cache(self) -> Any:
        return caches[self.cache_alias]

    def _start(self) -> int:
        generation = time.time_ns()
        if self._cache().add(self.key, generation, timeout=None):
            return generation
        return int(self._cache().get(self.key) or generation)

    def bump(self, **signal_kwargs: Any) -> None:
        """Start a new generation (a signal receiver, hence the keyword arguments)."""
        self._cache().set(self.key, self._start() + 1, timeout=None)

    def read(self, key: str) -> tuple[int, Any]:
        """The current generation, and the value kept under ``key`` if it was kept in it."""
        found = self._cache().get_many([self.key, key])
        generation = found.get(self.key) or self._start()
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            return generation, kept[1]
        return generation, None

    def keep(self, key: str, generation: int, value: Any, *, timeout: int) -> None:
        self._cache().set(key, (generation, value), timeout=timeout)

    def forget(self, key: str) -> None:
        self._cache().delete(key)
