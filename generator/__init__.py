"""Static site generator for the innovation blog and programme of Region Jämtland Härjedalen.

The build is a pipeline, one sub-package a step: content/ (files -> validated models) -> site/ (one
immutable model) -> build/ (the plan of outputs, rendering in parallel, writing: the only code that
touches the output folder), with every kind of output in outputs/ (docs/dev/architecture.md).
"""
import signal
import sys


def launch() -> None:
    """The command (build.py, `python -m generator`, `innovationsbloggen`): the command line in cli.py.

    Reading the generator's modules takes a second or so before cli.run() takes over Ctrl+C and
    SIGTERM; stopped in that time, the command says so as a stopped build does, with the same exit
    status (130 or 143), instead of Python's traceback of the interrupted import."""
    received = []

    def stopped(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stopped)
    try:
        from generator.cli import run
    except KeyboardInterrupt:
        sys.stderr.write("\nBygget avbröts innan det började; inget har ändrats.\n")
        sys.exit(128 + (received[0] if received else signal.SIGINT))
    run()
