"""Plugs the unmodified OrderExecutor into execsim: [executor] factory =
"execsim_adapter:make_executor". Maps the harness's exceptions to the
service's own; everything else is the service as it is."""
import execsim_asyncio
from order_executor import ExchangeError, NetworkError, OrderExecutor


class ExchangeAdapter:
    def __init__(self, exchange):
        self.exchange = exchange

    async def submit_order(self, order_request, idempotent_key):
        return await self._call(self.exchange.submit_order, order_request,
                                idempotent_key)

    async def get_order_by_idempotent_key(self, idempotent_key):
        return await self._call(self.exchange.get_order_by_idempotent_key,
                                idempotent_key)

    @staticmethod
    async def _call(method, *args):
        try:
            return await method(*args)
        except ConnectionError as exc:
            raise NetworkError(str(exc)) from exc
        except execsim_asyncio.ExchangeError as exc:
            raise ExchangeError(exc.code, exc.message) from exc


def make_executor(exchange, bus, config):
    return OrderExecutor(ExchangeAdapter(exchange), bus,
                         max_attempts=config.max_attempts,
                         initial_backoff_seconds=config.initial_backoff)
