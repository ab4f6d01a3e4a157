"""The interpreter is released while the core works, so Python threads run alongside."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import oa
from conftest import PASSWORD


def test_concurrent_sign_ins_all_succeed(office: oa.Office, admin: oa.Session) -> None:
    root = office.list_departments(admin)[0]
    logins = [f"user{i}" for i in range(4)]
    for login in logins:
        office.create_person(admin, login=login, name=login, dept=root.id, initial_password=PASSWORD)
    attempts = logins * 2 + ["admin"] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        sessions = list(pool.map(lambda login: office.sign_in(login, PASSWORD), attempts))
    assert len({s.token for s in sessions}) == len(attempts)
    assert [office.whoami(s).login for s in sessions] == attempts


def test_other_threads_run_during_a_sign_in(office: oa.Office) -> None:
    # A heartbeat thread ticks while another thread signs in, one sign-in after another. Were
    # the interpreter held during the password hashing, a tick could land inside a sign-in only
    # in the moment before the call starts (one, rarely a few); released, dozens land in each.
    ticks: list[float] = []
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    spans: list[tuple[float, float]] = []

    def sign_ins() -> None:
        for _ in range(5):
            start = time.perf_counter()
            office.sign_in("admin", PASSWORD)
            spans.append((start, time.perf_counter()))

    beat = threading.Thread(target=heartbeat)
    beat.start()
    try:
        worker = threading.Thread(target=sign_ins)
        worker.start()
        worker.join()
    finally:
        stop.set()
        beat.join()
    assert len(spans) == 5
    inside = sorted(sum(1 for t in ticks if start < t < end) for start, end in spans)
    assert inside[2] >= 3, f"heartbeats inside each sign-in: {inside}"
