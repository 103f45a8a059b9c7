"""The GIL is released during heavy calls, and one Matcher serves many threads."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import pytest

import participatienetwerk as pn


@pytest.fixture(scope="module")
def big() -> tuple[pn.DemoData, pn.Matcher]:
    data = pn.demo_data(seed=3, experts=30_000, initiatives=300)
    return data, pn.Matcher(data["experts"], registry=data["registry"])


def progress_during(call: Callable[[], Any]) -> int:
    """How far a pure-Python counter thread got while `call` ran.

    With a switch interval of an hour the interpreter never takes the GIL from
    the calling thread, so the counter (which hands the GIL back after every
    step) can only advance if the call releases it: no timing threshold, the
    answer is 0 or not.
    """
    count = [0]
    running, stop = threading.Event(), threading.Event()

    def counter() -> None:
        running.set()
        while not stop.is_set():
            count[0] += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(3600)
    thread = threading.Thread(target=counter)
    try:
        thread.start()
        running.wait()
        before = count[0]
        call()
        after = count[0]
    finally:
        stop.set()
        sys.setswitchinterval(old)
        thread.join()
    return after - before


def test_counter_is_blocked_by_a_gil_holding_call() -> None:
    """The method's control: a long call that holds the GIL shows no progress."""
    assert progress_during(lambda: sorted(range(1_000_000), key=lambda x: -x)) == 0


def test_gil_released(big: tuple[pn.DemoData, pn.Matcher]) -> None:
    data, m = big
    assert progress_during(lambda: m.rank_many(data["initiatives"], k=10)) > 0
    assert progress_during(lambda: pn.Matcher(data["experts"], registry=data["registry"])) > 0
    assert progress_during(lambda: m.assign(data["initiatives"])) > 0


def test_shared_matcher_across_threads(big: tuple[pn.DemoData, pn.Matcher]) -> None:
    data, m = big
    initiatives = data["initiatives"][:60]
    expected = [m.rank(i, k=5) for i in initiatives]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: m.rank(i, k=5), initiatives))
        batches = list(pool.map(lambda _: m.rank_many(initiatives, k=5), range(4)))
    assert got == expected
    assert all(b == expected for b in batches)
