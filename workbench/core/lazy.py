"""Package faces that load their modules on first use (PEP 562).

A package lists ``name -> module`` and gets a module ``__getattr__`` that imports
the module when the name is first asked for and keeps the value: importing the
package (or one light module of it, such as a registry) stays cheap at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any


def lazy_getattr(package: str, names: Mapping[str, str], namespace: MutableMapping[str, Any]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: ``names[name]`` is the module that defines ``name``."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
