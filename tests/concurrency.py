"""Concurrent writers for the concurrency tests: real threads, each with its own connection."""

from __future__ import annotations

import threading

from django.core.exceptions import ValidationError
from django.db import connection

from mkk.core.concurrency import EditConflict


def in_threads(count: int, save, *, prepare=None, won: str = "saved") -> list[str]:
    """Run ``save`` in ``count`` threads released together (a barrier) and return what each one
    met: ``won``, "conflict" (EditConflict), "told: <message>" (another refusal) or "error …".

    Without ``prepare`` each thread calls ``save(n)`` after the barrier; with it, each thread
    first reads ``state = prepare(n)`` (the row as its page showed it), then, after the
    barrier, calls ``save(n, state)``."""
    results: list[str] = []
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            if prepare is None:
                barrier.wait()
                save(n)
            else:
                state = prepare(n)
                barrier.wait()
                save(n, state)
            results.append(won)
        except EditConflict:
            results.append("conflict")
        except ValidationError as exc:
            results.append("told: " + exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - anything else fails the caller's assertion
            results.append(f"error {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
