"""One asyncio event loop per order, on the virtual clock.

asyncio's selector loop blocks in one place only: its selector's
select(timeout), called with the time until the next scheduled callback
(None when there is none). Our selector makes that the point where the
order is idle: it records the next wake-up and stops the loop, so control
goes back to execsim until its next message for this order. An order's
messages (its answers and timers) arrive at their virtual times; the loop
then runs every callback due until it is idle again.
"""
import asyncio
import selectors

from .clock import NS_PER_S, to_ns


class VirtualSelector(selectors.BaseSelector):
    """Never waits: select() with a timeout means "idle until then"."""

    def __init__(self):
        self._map = {}
        self.loop = None
        # After an idle select: ns until the next wake-up, or None (none).
        self.idle_after_ns = None

    def register(self, fileobj, events, data=None):
        key = selectors.SelectorKey(fileobj, id(fileobj), events, data)
        self._map[fileobj] = key
        return key

    def unregister(self, fileobj):
        return self._map.pop(fileobj)

    def get_map(self):
        return self._map

    def close(self):
        self._map.clear()

    def select(self, timeout=None):
        if timeout is not None:
            after = to_ns(timeout)
            if after <= 0:
                return []  # due now: asyncio runs it in this iteration
            self.idle_after_ns = after
        else:
            self.idle_after_ns = None
        self.loop.stop()
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose time() is the virtual clock."""

    def __init__(self, clock):
        self._virtual_clock = clock
        selector = VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        self.virtual_selector = selector

    def time(self):
        return self._virtual_clock.now_ns / NS_PER_S

    def at_ns(self, when_ns, callback, *args):
        """call_at for an integer-ns virtual time (no float rounding)."""
        return self.call_at(when_ns / NS_PER_S, callback, *args)

    # No self-pipe: nothing wakes this loop from another thread, and an
    # order's loop must not hold file descriptors (a run may have
    # thousands of orders in flight).
    def _make_self_pipe(self):
        self._ssock = None
        self._csock = None

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        pass

    def reset_for_reuse(self):
        """Makes a loop whose order finished ready for the next order, if
        nothing of the old one is left in it: no callback ready, no timer
        that was not cancelled. False when it cannot be reused (then close
        it). Creating a loop is a tenth of an order's cost in the harness."""
        ready = getattr(self, "_ready", None)
        scheduled = getattr(self, "_scheduled", None)
        if (ready is None or scheduled is None or ready or self.is_running()
                or self.is_closed()
                or any(not h.cancelled() for h in scheduled)):
            return False
        scheduled.clear()
        self._timer_cancelled_count = 0
        self.virtual_selector.idle_after_ns = None
        self.order_run = None
        self.set_task_factory(None)
        self.set_exception_handler(None)
        return True


class LoopPool:
    """Loops of finished orders, reused by the next orders of the run (all
    on the run's clock). At most `limit` are kept."""

    def __init__(self, clock, limit=64):
        self.clock = clock
        self.limit = limit
        self.idle = []

    def take(self):
        return self.idle.pop() if self.idle else VirtualLoop(self.clock)

    def give_back(self, loop):
        if len(self.idle) < self.limit and loop.reset_for_reuse():
            self.idle.append(loop)
        else:
            loop.close()

    def move_to(self, clock):
        """A new run's clock: the idle loops serve its orders."""
        self.clock = clock
        for loop in self.idle:
            loop._virtual_clock = clock
