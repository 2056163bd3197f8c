"""A pool job for the pool's own tests: doubles each task; -1 timed out, -2 crashed."""

from __future__ import annotations


class DoublingJob:
    def run(self, task: int) -> int:
        return task * 2

    def budget(self, task: int) -> float:
        return 30.0

    def timed_out(self, task: int, seconds: float) -> int:
        return -1

    def crashed(self, task: int, why: str) -> int:
        return -2
