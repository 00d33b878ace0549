"""OrderExecutor: order execution with exponential backoff retry and
idempotent key deduplication (FR-008, FR-009, FR-010).

The original service as its authors wrote it, in plain asyncio: it knows
nothing of execsim. It awaits an exchange adapter, sleeps between retries
and publishes to an event bus; execsim runs it unmodified, in virtual time
(see execsim_adapter.py for the few lines that plug it in).
"""
import asyncio
import logging
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Optional, Protocol

logger = logging.getLogger(__name__)


class ErrorCode(str, Enum):
    TIMEOUT = "TIMEOUT"
    NETWORK_ERROR = "NETWORK_ERROR"
    INVALID_SYMBOL = "INVALID_SYMBOL"
    UNAUTHORIZED = "UNAUTHORIZED"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    RISK_VIOLATION = "RISK_VIOLATION"


FATAL_ERROR_CODES = {ErrorCode.INVALID_SYMBOL, ErrorCode.UNAUTHORIZED,
                     ErrorCode.INSUFFICIENT_FUNDS, ErrorCode.RISK_VIOLATION}


class NetworkError(Exception):
    """The exchange could not be reached."""


class ExchangeError(Exception):
    """The exchange rejected the request."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class OrderRequest:
    symbol: str
    side: str
    quantity: int
    price: Optional[Decimal]


@dataclass
class OrderStatus:
    order_id: str
    status: str
    fill_price: Optional[Decimal] = None


@dataclass
class ExecutionResult:
    success: bool
    order_id: Optional[str] = None
    fill_price: Optional[Decimal] = None
    error: str = ""
    retry_count: int = 0
    error_code: Optional[str] = None


class ExchangeAdapterProtocol(Protocol):
    async def submit_order(self, order_request: OrderRequest,
                           idempotent_key: str) -> OrderStatus: ...

    async def get_order_by_idempotent_key(
            self, idempotent_key: str) -> Optional[OrderStatus]: ...


class EventBusProtocol(Protocol):
    async def publish(self, channel: str, event: dict) -> None: ...


class OrderExecutor:
    def __init__(self, exchange_adapter: ExchangeAdapterProtocol,
                 event_bus: EventBusProtocol, max_attempts: int = 3,
                 initial_backoff_seconds: float = 1.0):
        self.exchange_adapter = exchange_adapter
        self.event_bus = event_bus
        self.max_attempts = max_attempts
        self.initial_backoff_seconds = initial_backoff_seconds

    @staticmethod
    def generate_idempotent_key(trader_id: str, order) -> str:
        price = order.price if order.price is not None else "MKT"
        return (f"{trader_id}:{order.symbol}:{order.quantity}:{price}:"
                f"{order.timestamp}:v1")

    async def execute_order(self, trader_id: str,
                            validated_order) -> ExecutionResult:
        key = self.generate_idempotent_key(trader_id, validated_order)
        request = OrderRequest(symbol=validated_order.symbol,
                               side=validated_order.side,
                               quantity=validated_order.quantity,
                               price=validated_order.price)
        await self.event_bus.publish("order.execution_started", {
            "trader_id": trader_id, "idem_key": key})
        result = await self.submit_to_exchange_with_retry(request, key)
        if not result.success:
            await self.event_bus.publish("order.execution_failed", {
                "error": result.error, "error_code": result.error_code,
                "retry_count": result.retry_count})
        return result

    async def submit_to_exchange_with_retry(
            self, order_request: OrderRequest,
            idempotent_key: str) -> ExecutionResult:
        last_error, last_code = "", None
        for attempt in range(1, self.max_attempts + 1):
            try:
                status = await self.submit_to_exchange(order_request,
                                                       idempotent_key)
                return await self._succeeded(status, attempt - 1)
            except TimeoutError as exc:
                last_error, last_code = str(exc), ErrorCode.TIMEOUT.value
            except NetworkError as exc:
                last_error, last_code = str(exc), ErrorCode.NETWORK_ERROR.value
            except ExchangeError as exc:
                last_error, last_code = str(exc), exc.code
                if exc.code in {c.value for c in FATAL_ERROR_CODES}:
                    logger.warning("fatal error %s, no retry", exc.code)
                    return self._failed(last_code, attempt - 1)
            if attempt == self.max_attempts:
                break
            existing = await self.check_exchange_for_duplicate(idempotent_key)
            if existing is not None:
                return await self._succeeded(existing, attempt - 1,
                                             recovered=True)
            backoff = self.initial_backoff_seconds * (2 ** (attempt - 1))
            logger.info("attempt %d failed (%s), retrying in %.1fs",
                        attempt, last_error, backoff)
            await asyncio.sleep(backoff)
        return self._failed(last_code, self.max_attempts - 1)

    async def _succeeded(self, status: OrderStatus, retry_count: int,
                         recovered: bool = False) -> ExecutionResult:
        await self.event_bus.publish("order.executed", {
            "order_id": status.order_id, "fill_price": status.fill_price,
            "retry_count": retry_count})
        if recovered or retry_count > 0:
            await self.event_bus.publish("order.recovered", {
                "order_id": status.order_id, "retry_count": retry_count})
        return ExecutionResult(success=True, order_id=status.order_id,
                               fill_price=status.fill_price,
                               retry_count=retry_count)

    @staticmethod
    def _failed(code: str, retry_count: int) -> ExecutionResult:
        return ExecutionResult(success=False,
                               error=f"order execution failed: {code}",
                               retry_count=retry_count, error_code=code)

    async def check_exchange_for_duplicate(
            self, idempotent_key: str) -> Optional[OrderStatus]:
        try:
            return await self.exchange_adapter.get_order_by_idempotent_key(
                idempotent_key)
        except Exception as exc:  # fail open: assume no duplicate
            logger.warning("duplicate check failed: %s", exc)
            return None

    async def submit_to_exchange(self, order_request: OrderRequest,
                                 idempotent_key: str) -> OrderStatus:
        return await self.exchange_adapter.submit_order(order_request,
                                                        idempotent_key)
