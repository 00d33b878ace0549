"""The exceptions of the harness: what user code sees and what stops a run."""
import os
import traceback


class ExchangeError(Exception):
    """The exchange rejected a submit (or a duplicate check failed).

    `retry_after`: seconds (float) the venue asked to wait before trying
    again (a rate-limited answer, `[exchange] rate_limit`), else None."""

    def __init__(self, code, message, retry_after=None):
        super().__init__("{}: {}".format(code, message))
        self.code = code
        self.message = message
        self.retry_after = retry_after


class HarnessFailure(Exception):
    """Stops the run: execsim reports the message and `execsim run` exits 2."""


_HERE = os.path.dirname(os.path.abspath(__file__))
_ASYNCIO = os.path.dirname(os.path.abspath(traceback.__file__))


def is_user_frame(filename):
    path = os.path.abspath(filename)
    return not path.startswith(_HERE + os.sep) and not path.startswith(
        os.path.join(_ASYNCIO, "asyncio") + os.sep)


def user_traceback(exc, frames=3):
    """The last `frames` frames of `exc`'s traceback that are the user's
    code (the harness's and asyncio's own frames left out), then the
    exception line: short enough for execsim's error message."""
    tb = [f for f in traceback.extract_tb(exc.__traceback__)
          if is_user_frame(f.filename)]
    lines = ["Traceback (most recent call last):"]
    for f in tb[-frames:]:
        lines.append('  File "{}", line {}, in {}'.format(
            f.filename, f.lineno, f.name))
        if f.line:
            lines.append("    " + f.line.strip())
    lines.extend(l.rstrip("\n") for l in
                 traceback.format_exception_only(type(exc), exc))
    return "\n".join(lines)


def where(frame):
    """"file:line in function" for a frame."""
    return "{}:{} in {}".format(frame.f_code.co_filename, frame.f_lineno,
                                frame.f_code.co_name)
