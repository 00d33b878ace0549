"""The result of execute_order (the original service's ExecutionResult, an
object or a dict) as execsim's `result` action."""
import enum

from .errors import HarnessFailure

FIELDS = ("success", "order_id", "fill_price", "error", "retry_count",
          "error_code")


def _get(result, name):
    if isinstance(result, dict):
        return result[name]
    return getattr(result, name)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def result_action(order_id, result):
    values = {}
    for name in FIELDS:
        try:
            values[name] = _get(result, name)
        except (KeyError, AttributeError):
            raise HarnessFailure(
                "order {}: execute_order returned a result without "
                "\"{}\" (expected an object or dict with {}; got {!r})"
                .format(order_id, name, ", ".join(FIELDS), result)) from None
    if not isinstance(values["retry_count"], int):
        raise HarnessFailure("order {}: the result's retry_count is {!r}, "
                             "not an int".format(order_id,
                                                 values["retry_count"]))
    xid, price = values["order_id"], values["fill_price"]
    return {"type": "result", "order_id": order_id,
            "success": bool(values["success"]),
            "retry_count": values["retry_count"],
            "exchange_order_id": None if xid is None else str(xid),
            "fill_price": None if price is None else str(price),
            "error": _text(values["error"]),
            "error_code": _text(values["error_code"])}
