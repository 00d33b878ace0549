#!/usr/bin/env python3
"""A deliberately buggy execsim process executor (no_orphan_fill breaks).

One submit per order, no retries. Its bug: it keeps the exchange order id of
the first ack it ever saw in a process-wide variable and reports that id for
every later success. The second order is filled as its own order at the
exchange, but its result names the first order's: the exchange's order for
the second key is an orphan that no result names. Standard library only;
it never reads a clock.
"""
import json
import sys

first_xid = None  # the bug: shared by every order instead of per order
keys = {}  # order_id -> idempotency key


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")


def handle(msg):
    global first_xid
    kind = msg["type"]
    if kind == "reset":  # a new run: execsim reuses this program
        first_xid = None
        keys.clear()
    elif kind == "execute":
        oid = msg["order_id"]
        keys[oid] = "stale-" + oid
        emit({"type": "submit", "order_id": oid, "attempt": 1,
              "idem_key": keys[oid]})
    elif kind == "submit_answer":
        oid = msg["order_id"]
        if msg["status"] == "ack":
            if first_xid is None:
                first_xid = msg["exchange_order_id"]
            emit({"type": "result", "order_id": oid, "success": True,
                  "exchange_order_id": first_xid,
                  "fill_price": msg["fill_price"], "error": "",
                  "error_code": "", "retry_count": 0})
        else:
            code = msg["error_code"] or "NETWORK_ERROR"
            emit({"type": "result", "order_id": oid, "success": False,
                  "error": "order execution failed: " + code,
                  "error_code": code, "retry_count": 0})


def main():
    for line in sys.stdin:
        if line.strip():
            handle(json.loads(line))
        emit({"type": "ready"})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
