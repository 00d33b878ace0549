"""execsim_asyncio: run an unmodified asyncio order executor in execsim's
virtual time.

execsim starts this package as a process executor ([executor] kind =
"asyncio"); user code only ever needs `ExchangeError` from here, to tell an
exchange reject apart from a timeout (`TimeoutError`) or a network error
(`ConnectionError`). Standard library only.
"""
from .errors import ExchangeError

__all__ = ["ExchangeError"]
