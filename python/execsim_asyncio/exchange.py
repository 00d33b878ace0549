"""The simulated venue and event bus as the user's code sees them: an
exchange adapter whose calls become the run's attempts and checks, and a
bus whose publish becomes the run's events."""
import asyncio
import dataclasses
import decimal
import enum
import json
from types import SimpleNamespace

from . import orders as order_runs
from .clock import NS_PER_S
from .errors import ExchangeError
from .protocol import emit_line, json_text

CHANNELS = ("order.execution_started", "order.executed", "order.recovered",
            "order.execution_failed")


def _answer(exchange_order_id, fill_price):
    price = decimal.Decimal(fill_price) if fill_price is not None else None
    return SimpleNamespace(order_id=exchange_order_id, fill_price=price,
                           status="filled" if price is not None else "open")


def _retry_after(answer):
    """The answer's retry_after_ns as seconds, None when it has none."""
    ns = answer.get("retry_after_ns")
    return None if ns is None else ns / NS_PER_S


def _ms(ns):
    return "{:g}ms".format(ns / 1e6)


class SimulatedExchange:
    """`submit_order` and `get_order_by_idempotent_key`, as a real adapter."""

    def __init__(self, settings):
        self._submit_timeout_ns = settings["submit_timeout_ns"]
        self._check_timeout_ns = settings["check_timeout_ns"]

    async def submit_order(self, order_request, idempotent_key):
        run = order_runs.current("exchange.submit_order")
        attempt = run.next_attempt()
        emit_line('{"type":"submit","order_id":%s,"attempt":%d,'
                  '"idem_key":%s}' % (run.id_json, attempt,
                                      json_text(str(idempotent_key))))
        answer = await run.wait_answer(
            ("submit", attempt), self._submit_timeout_ns,
            lambda: TimeoutError("no answer from the exchange within "
                                 + _ms(self._submit_timeout_ns)),
            lambda: run.gave_up_on(attempt))
        if answer["status"] == "network_error":
            raise ConnectionError("network error on attempt {}"
                                  .format(attempt))
        if answer["status"] == "rejected":
            code = answer.get("error_code") or "REJECTED"
            raise ExchangeError(code, "the exchange rejected attempt {}"
                                .format(attempt), _retry_after(answer))
        return _answer(answer.get("exchange_order_id"),
                       answer.get("fill_price"))

    async def get_order_by_idempotent_key(self, idempotent_key):
        run = order_runs.current("exchange.get_order_by_idempotent_key")
        after = run.attempt  # 0: before the first submit
        # A poll: user code may ask whenever it likes (e.g. to confirm an
        # acknowledged order), not only after a failed attempt.
        emit_line('{"type":"check","order_id":%s,"after_attempt":%d,'
                  '"idem_key":%s,"poll":true}'
                  % (run.id_json, after, json_text(str(idempotent_key))))
        sent_ns = run.clock.now_ns
        answer = await run.wait_answer(
            ("check", after), self._check_timeout_ns,
            lambda: TimeoutError("no answer to the duplicate check within "
                                 + _ms(self._check_timeout_ns)),
            None)
        if answer["status"] == "found":
            return _answer(answer.get("exchange_order_id"),
                           answer.get("fill_price"))
        if answer["status"] == "not_found":
            return None
        if run.clock.now_ns == sent_ns:  # failed at its send time: network
            raise ConnectionError("network error on the duplicate check")
        raise ExchangeError("CHECK_FAILED", "the duplicate check failed",
                            _retry_after(answer))


def _jsonable(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "__dict__"):
        return vars(value)
    return str(value)


_encode_payload = json.JSONEncoder(separators=(",", ":"),
                                   default=_jsonable).encode
# Each channel's part of a publish line, encoded once.
_CHANNEL_JSON = {c: json_text(c) for c in CHANNELS}


class EventBus:
    """`publish(channel, event)`: works awaited or not."""

    def publish(self, channel, event=None):
        run = order_runs.current("bus.publish")
        channel_json = _CHANNEL_JSON.get(channel) if isinstance(
            channel, str) else None
        if channel_json is None:
            raise run.fail(
                "order {}: bus.publish on unknown channel {!r} (execsim "
                "knows: {})".format(run.id, channel, ", ".join(CHANNELS)))
        # Encoded once, straight into the action line (the text is what
        # encoding, decoding and encoding again would give).
        payload = _encode_payload(event if event is not None else {})
        emit_line('{"type":"publish","order_id":%s,"channel":%s,"payload":%s}'
                  % (run.id_json, channel_json, payload))
        done = run.loop.create_future()
        done.set_result(None)
        return done
