"""execsim's process protocol: one JSON object per line on stdin, answered
by action lines and {"type": "ready"} on stdout.

The pipes are read and written through their file descriptors (no text
layer): one os.read takes every message execsim has written so far, and
the answers are written in one os.write once no whole message is left to
handle (execsim may send several at once: the start of a run with its
first order). What user code prints goes to stderr (harness.main), never
into the protocol."""
import json
import json.scanner
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
_decoder = json.JSONDecoder()
_decode = _decoder.decode
_scan = json.scanner.make_scanner(_decoder)
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


def _decode_line(line):
    """One message: the C scanner straight (json.loads' Python layers and
    whitespace matching cost as much as the scan); anything it does not
    take whole goes through json.loads, which says what is wrong."""
    try:
        obj, end = _scan(line, 0)
    except StopIteration:
        end = -1
    if end != len(line):
        return _decode(line)
    return obj


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
        # Whole lines are decoded at once (a read may end inside a line,
        # even inside a UTF-8 sequence: that tail waits for the next read).
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            rest += chunk
            continue
        whole = rest + chunk[:cut] if rest else chunk[:cut]
        rest = chunk[cut:]
        lines = whole.decode().split("\n")
        lines.pop()  # the empty text after the last newline
        for line in lines:
            if line and not line.isspace():
                yield _decode_line(line)
