#!/usr/bin/env python3
"""An executor with a same-time ordering bug at its submit deadline.

A process executor (execsim's JSON-lines protocol, standard library only)
with the original service's retry rule: a duplicate check before each
retry, exponential backoff, fatal codes without retry. Two things differ
from original_executor.py:

- a last attempt that times out is reported as STATUS_UNKNOWN (the order
  may exist; a reconciler settles it), never as a plain failure;
- it keeps each attempt's deadline (sent + submit_timeout) and takes an
  ack "in time" when it arrives at or before the deadline, before looking
  at anything else: in time, the reasoning goes, it can only be the answer
  the executor is waiting for.

The bug is the "or at": at the deadline instant itself the timeout timer
was due too, and execsim delivers the timer first (it was scheduled
first, when the submit went out). So the executor has already given up on
the attempt; after the last attempt it has already reported STATUS_UNKNOWN,
and the ack then reports a success as well: two results, a `terminal`
violation. An ack 1 ns earlier beats the timer and is the only answer; an
ack 1 ns later is late and is handled as such. Only the exact instant is
wrong, which uniform random delays (nanosecond resolution) never hit and
`[explore] boundary` does (scenarios/examples/explore-deadline.toml).
"""
import json
import sys

SUBMIT_TIMEOUT, CHECK_TIMEOUT, BACKOFF = 1, 2, 3
orders = {}  # order_id -> state


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")


def timer_id(kind, attempt):
    return kind * 1000 + attempt


class Order:
    def __init__(self, msg):
        self.id = msg["order_id"]
        o = msg["order"]
        self.cfg = msg["config"]
        price = o["price"] if o["price"] is not None else "MKT"
        self.key = "{}:{}:{}:{}:{}:v1".format(
            o["trader"], o["symbol"], o["quantity"], price, o["timestamp"])
        self.attempt = 0
        self.deadline = 0
        self.phase = "idle"
        self.failed_before = False
        self.timed_out_before = False  # an earlier attempt may exist

    def publish(self, channel, payload):
        payload = dict(payload, order_id=self.id)
        emit({"type": "publish", "order_id": self.id, "channel": channel,
              "payload": payload})

    def submit(self, n, now):
        self.attempt = n
        self.phase = "submitting"
        self.deadline = now + self.cfg["submit_timeout_ns"]
        emit({"type": "submit", "order_id": self.id, "attempt": n,
              "idem_key": self.key})
        emit({"type": "set_timer", "order_id": self.id,
              "id": timer_id(SUBMIT_TIMEOUT, n),
              "after_ns": self.cfg["submit_timeout_ns"]})

    def attempt_failed(self, code, timed_out):
        self.failed_before = True
        self.timed_out_before = self.timed_out_before or timed_out
        if self.attempt < self.cfg["max_attempts"]:
            self.phase = "checking"
            emit({"type": "check", "order_id": self.id,
                  "after_attempt": self.attempt, "idem_key": self.key})
            emit({"type": "set_timer", "order_id": self.id,
                  "id": timer_id(CHECK_TIMEOUT, self.attempt),
                  "after_ns": self.cfg["check_timeout_ns"]})
        else:
            self.give_up(code)

    def give_up(self, code):
        # After a timeout the exchange may hold the order: not a failure.
        self.fail("STATUS_UNKNOWN" if self.timed_out_before else code)

    def back_off(self):
        self.phase = "backing_off"
        wait = float(self.cfg["initial_backoff_ns"])
        for _ in range(1, self.attempt):
            wait *= self.cfg["backoff_multiplier"]
        emit({"type": "set_timer", "order_id": self.id,
              "id": timer_id(BACKOFF, self.attempt), "after_ns": int(wait)})

    def succeed(self, xid, fill_price):
        self.phase = "done"
        retries = self.attempt - 1
        self.publish("order.executed", {"exchange_order_id": xid,
                                        "fill_price": fill_price,
                                        "retry_count": retries})
        if self.failed_before:
            self.publish("order.recovered", {"exchange_order_id": xid,
                                             "retry_count": retries})
        emit({"type": "result", "order_id": self.id, "success": True,
              "exchange_order_id": xid, "fill_price": fill_price,
              "error": "", "error_code": "", "retry_count": retries})

    def fail(self, code):
        self.phase = "done"
        retries = self.attempt - 1
        error = "order execution failed: " + code
        self.publish("order.execution_failed", {"error": error,
                                                "error_code": code,
                                                "retry_count": retries})
        emit({"type": "result", "order_id": self.id, "success": False,
              "error": error, "error_code": code, "retry_count": retries})


def in_time_ack(o, msg):
    # THE BUG: `<=`. At now == deadline the timeout has already been
    # handled (its timer was due at the same instant and came first).
    return (msg["status"] == "ack" and msg["attempt"] == o.attempt
            and msg["now_ns"] <= o.deadline)


def on_submit_answer(o, msg):
    if in_time_ack(o, msg):
        emit({"type": "cancel_timer", "order_id": o.id,
              "id": timer_id(SUBMIT_TIMEOUT, o.attempt)})
        o.succeed(msg["exchange_order_id"], msg["fill_price"])
        return
    if o.phase == "done":
        return  # a late answer after the result: only recorded
    current = o.phase == "submitting" and msg["attempt"] == o.attempt
    if msg["status"] == "ack":  # late, but the order exists: take it
        o.succeed(msg["exchange_order_id"], msg["fill_price"])
    elif not current:
        return
    elif msg["status"] == "network_error":
        o.attempt_failed("NETWORK_ERROR", False)
    elif msg["error_code"] in o.cfg["fatal_codes"]:
        o.give_up(msg["error_code"])
    else:
        o.attempt_failed(msg["error_code"], False)


def on_timer(o, msg):
    what, n = divmod(msg["id"], 1000)
    if o.phase == "done" or n != o.attempt:
        return
    if what == SUBMIT_TIMEOUT and o.phase == "submitting":
        emit({"type": "timed_out", "order_id": o.id, "attempt": n})
        o.attempt_failed("TIMEOUT", True)
    elif what == CHECK_TIMEOUT and o.phase == "checking":
        o.back_off()
    elif what == BACKOFF and o.phase == "backing_off":
        o.submit(n + 1, msg["now_ns"])


def handle(msg):
    kind = msg["type"]
    if kind == "reset":  # a new run: execsim reuses this program
        orders.clear()
        return
    if kind == "execute":
        o = Order(msg)
        orders[o.id] = o
        o.publish("order.execution_started", {"idem_key": o.key})
        o.submit(1, msg["now_ns"])
        return
    o = orders[msg["order_id"]]
    if kind == "submit_answer":
        on_submit_answer(o, msg)
    elif kind == "check_answer":
        if o.phase != "checking" or msg["after_attempt"] != o.attempt:
            return
        if msg["status"] == "found":
            o.succeed(msg["exchange_order_id"], msg["fill_price"])
        else:
            o.back_off()  # not found, or the check failed: retry
    elif kind == "timer":
        on_timer(o, msg)


def main():
    for line in sys.stdin:
        if line.strip():
            handle(json.loads(line))
        emit({"type": "ready"})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
