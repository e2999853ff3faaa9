"""A writer child for the kill -9 test (T01): it edits a postmortem in a loop and prints
each edit it has been told is saved, flushing every line, until it is killed.

    python tests/store/crash_writer.py DB SEED IDENT     write until killed
    python tests/store/crash_writer.py --serve           read "DB SEED IDENT" lines on stdin
                                                         and fork one writer per line

The fork server pays Python's start-up once, so fifty kills fit in a few seconds. Each
child prints ``started PID`` first; after the child dies the server prints
``reaped PID STATUS``, so everything the child printed comes before that line.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pmtui.domain.models import Postmortem
from pmtui.store import Store


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write_until_killed(db: Path, seed: int, ident: str) -> None:
    rng = random.Random(seed)
    store = Store.open(db, create=True)
    say(f"started {os.getpid()}")
    version = store.create(Postmortem(id=ident, title="new")).version
    say("created")
    n = 0
    while True:
        n += 1
        choice = rng.random()
        if choice < 0.35:
            version = store.set_field(ident, "title", f"t{n}", version=version)
            say(f"title {n}")
        elif choice < 0.85:
            # At the front half the time: every row is renumbered in the same transaction.
            store.add_item(ident, "timeline", {"event": f"e{n}"}, index=rng.choice([0, None]))
            say(f"event {n}")
        else:
            store.add_text(ident, "what_hurt", f"h{n}", index=0)
            say(f"hurt {n}")


def serve() -> None:
    for line in sys.stdin:
        db, seed, ident = line.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(Path(db), int(seed), ident)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        say(f"reaped {pid} {status}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        write_until_killed(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
