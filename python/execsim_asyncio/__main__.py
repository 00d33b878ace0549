"""python3 .../execsim_asyncio/__main__.py MODULE:CALLABLE [SCENARIO_DIR]

Started by execsim for [executor] kind = "asyncio"; not meant to be run by
hand (it speaks execsim's process protocol on stdin/stdout)."""
import os
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree

if __package__ in (None, ""):
    # Run as a script: import the package from the directory above, not
    # its modules as top-level ones.
    _here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == _here:
        sys.path[0] = os.path.dirname(_here)
    else:
        sys.path.insert(0, os.path.dirname(_here))

from execsim_asyncio.harness import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
