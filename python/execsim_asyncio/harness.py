"""The harness's main loop: execsim's messages in, the user's executor run
in virtual time, actions out."""
import decimal
import os
import random
import sys
import traceback
from types import SimpleNamespace

from . import clock as clock_mod
from . import factory as factory_mod
from .errors import HarnessFailure
from .exchange import EventBus, SimulatedExchange
from .loop import VirtualLoop
from .orders import OrderRun
from .protocol import discard, flush, messages, ready

MARKER = "execsim_asyncio: "


def _order(o):
    price = o.get("price")
    return SimpleNamespace(
        id=o["id"], trader=o["trader"], symbol=o["symbol"], side=o["side"],
        quantity=o["quantity"],
        price=decimal.Decimal(price) if price is not None else None,
        timestamp=o["timestamp"])


def _config(settings, seed):
    s = dict(settings)
    cfg = SimpleNamespace(**s)
    for name in ("initial_backoff", "max_backoff", "submit_timeout",
                 "check_timeout"):
        setattr(cfg, name, s[name + "_ns"] / clock_mod.NS_PER_S)
    cfg.seed = seed
    return cfg


class Harness:
    def __init__(self, factory_spec, scenario_dir):
        self.spec = factory_spec
        self.scenario_dir = scenario_dir
        self.clock = clock_mod.VirtualClock()
        clock_mod.install(self.clock)
        # One event loop for every order of every run on this process.
        self.loop = VirtualLoop(self.clock)
        self.loop.start()
        self.factory = None
        self.executor = None
        self.orders = {}

    def reset(self):
        for run in self.orders.values():
            if not run.finished:
                run.close()
        self.orders.clear()
        self.executor = None
        self.clock = clock_mod.VirtualClock()
        clock_mod.install(self.clock)
        self.loop._virtual_clock = self.clock

    def start_run(self, msg):
        """A run starts: seed `random`, call the factory once."""
        if self.factory is None:
            self.factory = factory_mod.load(self.spec, self.scenario_dir)
        random.seed(msg["seed"])
        settings = msg["settings"]
        self.executor = factory_mod.make(
            self.factory, self.spec, SimulatedExchange(settings), EventBus(),
            _config(settings, msg["seed"]))

    def execute(self, msg):
        if self.executor is None:
            raise HarnessFailure("execute before the run's settings (execsim "
                                 "sends {\"type\": \"run\"} first)")
        run = OrderRun(_order(msg["order"]), self.clock, self.loop)
        self.orders[run.id] = run
        self.loop.enter(run)
        try:
            run.start(self.executor)
        finally:
            self.loop.leave()

    def handle(self, msg):
        kind = msg["type"]
        if kind == "reset":  # a new run on this program: time starts at 0
            self.reset()
            return
        self.clock.advance_to(msg.get("now_ns", self.clock.now_ns))
        if kind == "run":
            self.start_run(msg)
        elif kind == "execute":
            self.execute(msg)
        else:
            self.deliver(kind, msg)

    def deliver(self, kind, msg):
        run = self.orders.get(msg.get("order_id"))
        if run is None or run.finished:
            return  # a late answer or timer of a finished order
        self.loop.enter(run)
        try:
            self.answer(run, kind, msg)
        finally:
            self.loop.leave()

    def answer(self, run, kind, msg):
        if kind == "submit_answer":
            run.answer(("submit", msg["attempt"]), msg)
        elif kind == "check_answer":
            run.answer(("check", msg["after_attempt"]), msg)
        elif kind == "timer":
            run.wakes.discard(msg["id"])
        else:
            raise HarnessFailure("unknown message type {!r}".format(kind))
        run.run()


def fail(message):
    """Writes the failure where execsim reads it (stderr) and exits."""
    discard()
    flush()  # the answers to the messages before this one
    text = MARKER + message.replace("\n", "\n" + MARKER)
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    os._exit(3)  # no interpreter shutdown: nothing more on stderr


def main(argv):
    sys.dont_write_bytecode = True  # nothing written beside the scenarios
    # stdout is the protocol's (written through its descriptor): what user
    # code prints goes to stderr, which execsim shows in errors.
    sys.stdout = sys.stderr
    spec, scenario_dir = argv[0], argv[1] if len(argv) > 1 else ""
    harness = Harness(spec, scenario_dir)
    for msg in messages():
        try:
            harness.handle(msg)
        except HarnessFailure as exc:
            fail(str(exc))
        except Exception:  # a bug of the harness itself
            fail("internal error while handling {}:\n{}".format(
                msg.get("type"), traceback.format_exc()))
        ready()
