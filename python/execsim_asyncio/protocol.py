"""execsim's process protocol: one JSON object per line on stdin, answered
by action lines and {"type": "ready"} on stdout."""
import json
import sys

_out = sys.stdout
_pending = []
# One encoder for every line: json.dumps with separators builds a new
# encoder per call, a measurable share of a message's cost.
_encode = json.JSONEncoder(separators=(",", ":")).encode
_decode = json.JSONDecoder().decode


def emit(action):
    _pending.append(_encode(action))


def emit_line(line):
    """An action already encoded as one JSON object (no newline)."""
    _pending.append(line)


def ready():
    _pending.append('{"type":"ready"}')
    _out.write("\n".join(_pending) + "\n")
    _out.flush()
    _pending.clear()


def discard():
    """Drops the actions of a message that failed."""
    _pending.clear()


def messages():
    for line in sys.stdin:
        if line.strip():
            yield _decode(line)
