"""execsim's process protocol: one JSON object per line on stdin, answered
by action lines and {"type": "ready"} on stdout.

The pipes are read and written through their file descriptors (no text
layer): one os.read takes every message execsim has written so far, and
the answers are written in one os.write once no whole message is left to
handle (execsim may send several at once: the start of a run with its
first order). What user code prints goes to stderr (harness.main), never
into the protocol."""
import json
import os
from json.encoder import encode_basestring_ascii as json_text  # noqa: F401

_IN = 0
_OUT = 1
# The answers not written yet: complete ones (up to _answered) and the
# actions of the message being handled.
_pending = []
_answered = 0
# One encoder for every line: json.dumps with separators builds a new
# encoder per call, a measurable share of a message's cost.
_encode = json.JSONEncoder(separators=(",", ":")).encode
_decode = json.JSONDecoder().decode
READY = '{"type":"ready"}'


def emit(action):
    _pending.append(_encode(action))


def emit_line(line):
    """An action already encoded as one JSON object (no newline)."""
    _pending.append(line)


def ready():
    """Ends the answer to the message being handled."""
    global _answered
    _pending.append(READY)
    _answered = len(_pending)


def discard():
    """Drops the actions of a message that failed (the answers to the
    messages before it stay, to be written by flush)."""
    del _pending[_answered:]


def flush():
    """Writes every complete answer."""
    global _answered
    if not _answered:
        return
    data = ("\n".join(_pending[:_answered]) + "\n").encode()
    del _pending[:_answered]
    _answered = 0
    view = memoryview(data)
    while view:
        view = view[os.write(_OUT, view):]


def messages():
    """execsim's messages, decoded; the answers are flushed before each
    read that may wait."""
    rest = b""
    while True:
        flush()
        chunk = os.read(_IN, 1 << 16)
        if not chunk:
            if rest.strip():
                yield _decode(rest.decode())
            return
        lines = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
        rest = lines.pop()
        for line in lines:
            if line.strip():
                yield _decode(line.decode())
