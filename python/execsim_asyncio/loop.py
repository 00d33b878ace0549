"""One asyncio event loop for every order of a run, on the virtual clock.

asyncio's selector loop blocks in one place only: its selector's
select(timeout), called with the time until the next scheduled callback
(None when there is none). Our selector makes that the point where the
order is idle: it records the next wake-up and stops the loop, so control
goes back to execsim until its next message.

All orders' tasks live on this one loop, but each order keeps its own
queue of ready callbacks and its own heap of timers: while execsim's
message for order A is handled, only A's are swapped into the loop (so
only A's code runs and A's actions answer A's message, as the protocol
wants), and an order whose timer is due at the same virtual instant waits
for its own timer message. The loop is entered once per message by
calling _run_once directly: no run_forever (its setup and teardown were
most of the loop's cost per message) and no loop per order.
"""
import asyncio
import collections
import heapq
import selectors
import sys
import threading
from asyncio import base_events, events

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
        self.loop._stopping = True
        return []


class OrderQueues:
    """What the loop holds for one order while it runs: its ready
    callbacks, its timers (a heap) and the count of cancelled timers."""
    __slots__ = ("ready", "scheduled", "cancelled")

    def __init__(self):
        self.ready = collections.deque()
        self.scheduled = []
        self.cancelled = 0


class VirtualLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose time() is the virtual clock, running one
    order's callbacks at a time."""

    def __init__(self, clock):
        self._virtual_clock = clock
        selector = VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        self.virtual_selector = selector
        self.order_run = None  # the order being handled, None between
        self._idle = OrderQueues()  # swapped in between messages
        self._enter_queues(self._idle)
        self.set_exception_handler(_dispatch_exception)

    def time(self):
        return self._virtual_clock.now_ns / NS_PER_S

    def at_ns(self, when_ns, callback, *args):
        """call_at for an integer-ns virtual time (no float rounding)."""
        return self.call_at(when_ns / NS_PER_S, callback, *args)

    def call_soon(self, callback, *args, context=None):
        task = getattr(callback, "__self__", None)
        run = getattr(task, "execsim_run", None)
        if run is not None and run is not self.order_run and not run.finished:
            # A task of another order woken from this order's code: it
            # would run during this order's message.
            current = self.order_run
            if current is not None:
                current.fail(
                    "order {}: its code woke a task of order {} (an asyncio "
                    "object shared by the two orders): orders cannot await "
                    "each other's asyncio objects, each order's code runs "
                    "only while execsim handles that order".format(
                        current.id, run.id))
        if self._debug:
            return super().call_soon(callback, *args, context=context)
        # BaseEventLoop.call_soon without its checks (this loop is never
        # closed while it runs): one Handle on the ready queue.
        handle = events.Handle(callback, args, self, context)
        self._ready.append(handle)
        return handle

    # No self-pipe: nothing wakes this loop from another thread.
    def _make_self_pipe(self):
        self._ssock = None
        self._csock = None

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        pass

    def _enter_queues(self, q):
        self._ready = q.ready
        self._scheduled = q.scheduled
        self._timer_cancelled_count = q.cancelled

    def enter(self, run):
        """Swaps `run`'s queues in: what is scheduled now is `run`'s."""
        self._enter_queues(run.queues)
        self.order_run = run

    def leave(self):
        run = self.order_run
        if run is not None:
            run.queues.cancelled = self._timer_cancelled_count
            run.queues.scheduled = self._scheduled
        self.order_run = None
        self._enter_queues(self._idle)
        self._idle.ready.clear()  # nothing runs between messages
        self._idle.scheduled.clear()

    def _run_once(self):
        """asyncio's BaseEventLoop._run_once, step for step (the same
        callbacks in the same order, the same float arithmetic for the
        wake-up), without a selector call, I/O events or debug timing."""
        if self._debug:
            return super()._run_once()
        sched = self._scheduled
        count = len(sched)
        if (count > base_events._MIN_SCHEDULED_TIMER_HANDLES
                and self._timer_cancelled_count / count
                > base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION):
            live = []
            for handle in sched:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    live.append(handle)
            heapq.heapify(live)
            sched[:] = live  # in place: the order's queues hold this list
            self._timer_cancelled_count = 0
        else:
            while sched and sched[0]._cancelled:
                self._timer_cancelled_count -= 1
                heapq.heappop(sched)._scheduled = False
        ready = self._ready
        now = self._virtual_clock.now_ns / NS_PER_S
        if not (ready or self._stopping):
            # What VirtualSelector.select does with the loop's timeout.
            if sched:
                timeout = min(max(0, sched[0]._when - now),
                              base_events.MAXIMUM_SELECT_TIMEOUT)
                after = to_ns(timeout)
                if after > 0:
                    self.virtual_selector.idle_after_ns = after
                    self._stopping = True
            else:
                self.virtual_selector.idle_after_ns = None
                self._stopping = True
        end_time = now + self._clock_resolution
        while sched:
            if sched[0]._when >= end_time:
                break
            handle = heapq.heappop(sched)
            handle._scheduled = False
            ready.append(handle)
        for _ in range(len(ready)):
            handle = ready.popleft()
            if not handle._cancelled:
                handle._run()
        handle = None  # no cycle through an exception's traceback

    def run_until_idle(self):
        """Runs the entered order's callbacks until it has nothing due now
        (the selector then holds its next wake-up, or None)."""
        self._stopping = False
        try:
            while not self._stopping:
                self._run_once()
        finally:
            self._stopping = False

    def start(self):
        """Makes this the running loop of the thread for the harness's
        life (what run_forever would do around each call)."""
        self._thread_id = threading.get_ident()
        self.set_task_factory(_order_task)
        events._set_running_loop(self)
        sys.set_asyncgen_hooks(firstiter=self._asyncgen_firstiter_hook,
                               finalizer=self._asyncgen_finalizer_hook)


class OrderTask(asyncio.Task):
    """A task that knows its order (asyncio's C Task takes no attributes)."""
    execsim_run = None


def _order_task(loop, coro, **kwargs):
    task = OrderTask(coro, loop=loop, **kwargs)
    run = loop.order_run
    if run is not None:
        task.execsim_run = run
        run.tasks.append(task)
    return task


def _dispatch_exception(loop, context):
    """An error asyncio reports goes to the order whose task or future it
    is about, else to the order being handled; none after an order ended."""
    obj = context.get("task") or context.get("future")
    run = getattr(obj, "execsim_run", None)
    if run is None:
        run = loop.order_run
    if run is not None and not run.finished:
        run.loop_exception(context)
