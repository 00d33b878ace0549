#!/usr/bin/env python3
"""A process executor that answers from a script, for tests of execsim's
protocol checks: it plays a misbehaving program exactly.

Usage: scripted.py SCRIPT. SCRIPT holds one block of lines per message the
program gets (blocks separated by a line "---"); "reset" gets "ready" alone.
For message k it writes block k's lines as they are (bytes: invalid UTF-8
stays invalid), then {"type":"ready"}, unless the block's last line is
"@noready" (then it writes nothing more and reads on), "@hang" (sleeps for
good) or "@exit N" (exits with status N). Messages past the last block get
"ready" alone.
"""
import sys
import time


def main():
    with open(sys.argv[1], "rb") as f:
        blocks = [b.strip(b"\n").split(b"\n") if b.strip(b"\n") else []
                  for b in f.read().split(b"\n---\n")]
    out = sys.stdout.buffer
    k = 0
    for line in sys.stdin.buffer:
        if b'"type":"reset"' in line:
            out.write(b'{"type":"ready"}\n')
            out.flush()
            continue
        block = blocks[k] if k < len(blocks) else []
        k += 1
        last = block[-1] if block else b""
        for l in block[:-1] if last.startswith(b"@") else block:
            out.write(l + b"\n")
        out.flush()
        if last == b"@hang":
            time.sleep(3600)
        if last.startswith(b"@exit"):
            sys.exit(int(last.split()[1]))
        if last != b"@noready":
            out.write(b'{"type":"ready"}\n')
            out.flush()


if __name__ == "__main__":
    main()
