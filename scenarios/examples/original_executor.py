#!/usr/bin/env python3
"""The original Python OrderExecutor's logic as an execsim process executor.

It speaks execsim's process protocol: one JSON object per line on stdin (each
with the virtual time "now_ns"), answered by action lines on stdout and a
final {"type": "ready"}. It never sleeps and never reads a clock: it asks
execsim for timers. Standard library only.

The logic is the original service's, on purpose without execsim's
improvements: retry with exponential backoff (initial * multiplier^(n-1)),
a duplicate check before each retry (a failed check counts as "none found"),
fatal codes without retry, and NO final check: a last attempt that times out
is reported as a failure even when the exchange may hold the order.
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
        self.phase = "idle"
        self.failed_before = False
        self.last_code = ""

    def publish(self, channel, payload):
        payload = dict(payload, order_id=self.id)
        emit({"type": "publish", "order_id": self.id, "channel": channel,
              "payload": payload})

    def submit(self, n):
        self.attempt = n
        self.phase = "submitting"
        emit({"type": "submit", "order_id": self.id, "attempt": n,
              "idem_key": self.key})
        emit({"type": "set_timer", "order_id": self.id,
              "id": timer_id(SUBMIT_TIMEOUT, n),
              "after_ns": self.cfg["submit_timeout_ns"]})

    def attempt_failed(self, code):
        self.failed_before = True
        self.last_code = code
        if self.attempt < self.cfg["max_attempts"]:
            self.phase = "checking"
            emit({"type": "check", "order_id": self.id,
                  "after_attempt": self.attempt, "idem_key": self.key})
            emit({"type": "set_timer", "order_id": self.id,
                  "id": timer_id(CHECK_TIMEOUT, self.attempt),
                  "after_ns": self.cfg["check_timeout_ns"]})
        else:
            self.fail(code)

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


def handle(msg):
    kind = msg["type"]
    if kind == "reset":  # a new run: execsim reuses this program
        orders.clear()
        return
    if kind == "execute":
        o = Order(msg)
        orders[o.id] = o
        o.publish("order.execution_started", {"idem_key": o.key})
        o.submit(1)
        return
    o = orders[msg["order_id"]]
    if o.phase == "done":
        return
    if kind == "submit_answer":
        current = o.phase == "submitting" and msg["attempt"] == o.attempt
        if msg["status"] == "ack":
            o.succeed(msg["exchange_order_id"], msg["fill_price"])
        elif not current:
            return
        elif msg["status"] == "network_error":
            o.attempt_failed("NETWORK_ERROR")
        elif msg["error_code"] in o.cfg["fatal_codes"]:
            o.fail(msg["error_code"])
        else:
            o.attempt_failed(msg["error_code"])
    elif kind == "check_answer":
        if o.phase != "checking" or msg["after_attempt"] != o.attempt:
            return
        if msg["status"] == "found":
            o.succeed(msg["exchange_order_id"], msg["fill_price"])
        else:
            o.back_off()  # not found, or the check failed: retry
    elif kind == "timer":
        what, n = divmod(msg["id"], 1000)
        if n != o.attempt:
            return
        if what == SUBMIT_TIMEOUT and o.phase == "submitting":
            emit({"type": "timed_out", "order_id": o.id, "attempt": n})
            o.attempt_failed("TIMEOUT")
        elif what == CHECK_TIMEOUT and o.phase == "checking":
            o.back_off()
        elif what == BACKOFF and o.phase == "backing_off":
            o.submit(n + 1)


def main():
    for line in sys.stdin:
        if line.strip():
            handle(json.loads(line))
        emit({"type": "ready"})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
