"""execsim's process protocol: one JSON object per line on stdin, answered
by action lines and {"type": "ready"} on stdout."""
import json
import sys

_out = sys.stdout
_pending = []


def emit(action):
    _pending.append(json.dumps(action, separators=(",", ":")))


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
            yield json.loads(line)
