"""Imports the user's `module:callable` factory and calls it once per run."""
import importlib
import os
import sys

from .errors import HarnessFailure, user_traceback


def load(spec, scenario_dir):
    """The callable named by "module:callable"; the module is looked up
    beside the scenario file first, then on PYTHONPATH."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise HarnessFailure("factory \"{}\" is not \"module:callable\""
                             .format(spec))
    if scenario_dir and sys.path[:1] != [scenario_dir]:
        sys.path.insert(0, scenario_dir)
    if "/" in module_name:  # "dir/module:callable": look in dir first
        where, module_name = os.path.split(module_name)
        sys.path.insert(0, os.path.join(scenario_dir, where))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name.split(".")[0] and exc.name != module_name:
            raise _failed_import(spec, exc) from None
        raise HarnessFailure(
            "factory \"{}\": no module named \"{}\" (looked beside the "
            "scenario in {}, then on PYTHONPATH)".format(spec, module_name,
                                                scenario_dir or ".")) from None
    except Exception as exc:  # an error inside the user's module
        raise _failed_import(spec, exc) from None
    target = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise HarnessFailure("factory \"{}\": module \"{}\" ({}) has no "
                                 "\"{}\""
                                 .format(spec, module_name,
                                         getattr(module, "__file__", "?"),
                                         attr))
        target = getattr(target, part)
    if not callable(target):
        raise HarnessFailure("factory \"{}\" is not callable (it is {} {!r})"
                             .format(spec, type(target).__name__, target))
    return target


def _failed_import(spec, exc):
    return HarnessFailure("factory \"{}\": importing its module raised {}: "
                          "{}\n{}"
                          .format(spec, type(exc).__name__, exc,
                                  user_traceback(exc)))


def make(factory, spec, exchange, bus, config):
    """Calls the factory; the object must have async execute_order."""
    try:
        executor = factory(exchange, bus, config)
    except Exception as exc:
        raise HarnessFailure("factory \"{}\" raised {}: {}\n{}".format(
            spec, type(exc).__name__, exc, user_traceback(exc))) from None
    method = getattr(executor, "execute_order", None)
    if method is None or not callable(method):
        raise HarnessFailure(
            "factory \"{}\" returned {!r}, which has no `async def "
            "execute_order(trader_id, order)`".format(spec, executor))
    return executor
