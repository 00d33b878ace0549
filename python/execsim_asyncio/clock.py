"""The virtual clock, in integer nanoseconds, and the `time` functions that
read it. Floats appear only at the edge (loop.time(), time.time())."""
import sys
import time

from .errors import where

NS_PER_S = 1_000_000_000


class VirtualClock:
    def __init__(self):
        self.now_ns = 0
        # (message, ) of a time.sleep call: a failure even if user code
        # catches the exception it raised.
        self.sleep_violation = None

    def advance_to(self, now_ns):
        if now_ns < self.now_ns:
            raise AssertionError("virtual time went back from {} to {} ns"
                                 .format(self.now_ns, now_ns))
        self.now_ns = now_ns

    def seconds(self):
        return self.now_ns / NS_PER_S


def to_ns(seconds):
    """Seconds (float) to integer ns, rounded to the nearest ns."""
    return round(seconds * NS_PER_S)


def install(clock):
    """Points time.time/monotonic (and their _ns forms) at the virtual
    clock and makes time.sleep an error naming its caller."""
    def virtual_seconds():
        return clock.now_ns / NS_PER_S

    def virtual_ns():
        return clock.now_ns

    def forbidden_sleep(seconds=0):
        place = where(sys._getframe(1))
        clock.sleep_violation = (
            "time.sleep({!r}) called at {}: it would block the whole event "
            "loop in real time; use `await asyncio.sleep(...)`"
            .format(seconds, place))
        raise RuntimeError(clock.sleep_violation)

    time.time = virtual_seconds
    time.monotonic = virtual_seconds
    time.time_ns = virtual_ns
    time.monotonic_ns = virtual_ns
    time.sleep = forbidden_sleep
