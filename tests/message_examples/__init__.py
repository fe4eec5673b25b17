"""An example of every message kind, built from factories, for the tests that render every
kind in every language (tests/peerprogram/test_message_kinds.py).

Each app's kinds have a module here; a module registers a builder per kind with `example`.
Examples use the longest names the demo has, so length limits are tested where they bite.
"""

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

EXAMPLES: dict[str, Callable] = {}


def example(kind: str) -> Callable[[Callable], Callable]:
    def register(builder: Callable) -> Callable:
        EXAMPLES[kind] = builder
        return builder

    return register


def load_all() -> dict[str, Callable]:
    for path in sorted(Path(__file__).parent.glob("[a-z]*.py")):
        import_module(f"{__name__}.{path.stem}")
    return EXAMPLES
