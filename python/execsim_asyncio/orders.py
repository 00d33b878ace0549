"""One order in flight: its queues on the shared event loop, its task, its
outstanding exchange calls and the wake-ups it asked execsim for."""
import asyncio
from asyncio.events import _get_running_loop

from .errors import HarnessFailure, is_user_frame, user_traceback, where
from .protocol import emit, emit_line, json_text
from .loop import OrderQueues
from .results import result_action


def current(what):
    """The order being handled (its code is the only code running)."""
    run = getattr(_get_running_loop(), "order_run", None)
    if run is None:
        raise HarnessFailure("{} called outside an order's execute_order "
                             "(no order is running)".format(what))
    if run.failure is not None:  # e.g. it woke another order's task
        raise HarnessFailure(run.failure)
    return run


class OrderRun:
    def __init__(self, order, clock, loop):
        self.id = order.id
        self.id_json = json_text(order.id)  # as it appears in action lines
        self.order = order
        self.clock = clock
        self.loop = loop  # the run's one VirtualLoop
        self.queues = OrderQueues()  # swapped into the loop while handled
        # The order's own tasks, so close() need not scan asyncio's global
        # set of every task alive (all_tasks: cost grows with the run).
        self.tasks = []
        self.task = None
        self.attempt = 0
        self.waiting = {}  # ("submit", n) / ("check", n) -> [futures]
        self.wakes = set()  # virtual times of timers asked for, not yet due
        self.failure = None
        self.finished = False

    def fail(self, message):
        """Stops the run even if user code catches the exception."""
        if self.failure is None:
            self.failure = message
        return HarnessFailure(message)

    # ------------------------------------------------------- exchange calls
    def next_attempt(self):
        self.attempt += 1
        return self.attempt

    async def wait_answer(self, slot, timeout_ns, timeout_error, on_give_up):
        fut = self.loop.create_future()
        self.waiting.setdefault(slot, []).append(fut)
        timer = self.loop.at_ns(self.clock.now_ns + timeout_ns,
                                self._time_out, slot, fut, timeout_error,
                                on_give_up)
        try:
            return await fut
        except asyncio.CancelledError:
            if on_give_up is not None:
                on_give_up()  # the user's own timeout gave up on it
            raise
        finally:
            timer.cancel()
            self._forget(slot, fut)

    def _time_out(self, slot, fut, timeout_error, on_give_up):
        if fut.done():
            return
        if on_give_up is not None:
            on_give_up()
        fut.set_exception(timeout_error())

    def _forget(self, slot, fut):
        futs = self.waiting.get(slot)
        if futs and fut in futs:
            futs.remove(fut)
            if not futs:
                del self.waiting[slot]

    def gave_up_on(self, attempt):
        emit_line('{"type":"timed_out","order_id":%s,"attempt":%d}'
                  % (self.id_json, attempt))

    def answer(self, slot, message):
        """Resolves the oldest call waiting on `slot`; a late answer (its
        call timed out or was cancelled) is dropped."""
        for fut in self.waiting.get(slot, []):
            if not fut.done():
                fut.set_result(message)
                return

    # ------------------------------------------------------------- running
    def start(self, executor):
        async def execute():
            return await executor.execute_order(self.order.trader,
                                                self.order)
        self.task = self.loop.create_task(execute(),
                                          name="order " + self.id)
        self.run()

    def run(self):
        """Runs the order's callbacks until it is idle, then says what
        next. The caller has entered the order into the loop."""
        if self.finished:
            return
        self.loop.run_until_idle()
        if self.clock.sleep_violation is not None:
            raise HarnessFailure("order {}: {}".format(
                self.id, self.clock.sleep_violation))
        if self.failure is not None:
            raise HarnessFailure(self.failure)
        if self.task.done():
            self._finish()
            return
        after = self.loop.virtual_selector.idle_after_ns
        if after is None:
            raise HarnessFailure(self._deadlock())
        wake = self.clock.now_ns + after
        wakes = self.wakes
        # A wake-up asked for earlier than the loop's next callback is no
        # longer needed (what it was for finished or was cancelled, e.g. a
        # submit timeout once the answer came): cancelled, so that execsim
        # does not send a timer message that would wake nothing.
        stale = [w for w in wakes if w < wake]
        for w in stale:
            wakes.discard(w)
            emit_line('{"type":"cancel_timer","order_id":%s,"id":%d}'
                      % (self.id_json, w))
        if wake not in wakes:
            wakes.add(wake)
            emit_line('{"type":"set_timer","order_id":%s,"id":%d,'
                      '"after_ns":%d}' % (self.id_json, wake, after))

    def timer(self, wake):
        self.wakes.discard(wake)
        self.run()

    def _finish(self):
        self.finished = True
        try:
            result = self.task.result()
        except BaseException as exc:  # noqa: B902 - any escape stops the run
            raise HarnessFailure("order {}: execute_order raised {}: {}\n{}"
                                 .format(self.id, type(exc).__name__, exc,
                                         user_traceback(exc)))
        emit(result_action(self.id, result))
        self.close()

    def close(self):
        """Its tasks still pending are cancelled; their callbacks stay in
        the order's own queues, which never run again."""
        self.finished = True
        for task in self.tasks:
            if not task.done():
                task.cancel()
        self.tasks.clear()
        self.waiting.clear()

    def _deadlock(self):
        stack = []  # the chain of coroutines the task is suspended in
        coro = self.task.get_coro()
        while coro is not None and getattr(coro, "cr_frame", None):
            stack.append(coro.cr_frame)
            coro = getattr(coro, "cr_await", None)
        user = [f for f in stack if is_user_frame(f.f_code.co_filename)]
        inner = stack[-1] if stack else None
        if inner is None or inner in user:
            awaited = "a future nothing will resolve"
        else:
            awaited = getattr(inner.f_code, "co_qualname",
                              inner.f_code.co_name)
        return ("order {}: deadlock in virtual time at {} ns: execute_order "
                "waits on something that can never happen (no timer "
                "scheduled, no exchange call outstanding): it awaits {} at {}"
                .format(self.id, self.clock.now_ns, awaited,
                        where(user[-1]) if user else "?"))

    def loop_exception(self, context):
        exc = context.get("exception")
        if self.failure is None and not isinstance(
                exc, asyncio.CancelledError):
            detail = user_traceback(exc) if exc is not None else ""
            self.failure = "order {}: {}\n{}".format(
                self.id, context.get("message", "error in the event loop"),
                detail).rstrip()
