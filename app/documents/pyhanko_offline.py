"""Import pyHanko without its network clients, which offline signing never uses.

pyHanko imports its HTTP timestamp client and pyhanko-certvalidator's fetchers (for
OCSP, CRLs and certificates) as soon as `pyhanko.sign` is imported, and both import
aiohttp (with asyncio, yarl, multidict): about a third of the start-up of `python -m app
export`, for clients that contact servers the app never uses (signatures are B-B, on
the laptop's clock; validation trusts the given certificate and never fetches). Before
pyHanko is first imported, stand-in modules take their place. Whatever asks for a real
client (creating one, or reading any other name from the module) gets it, imported then.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# Module: the names pyHanko imports from it while it loads (only ever called at run time).
DEFERRED = {
    "pyhanko.sign.timestamps.aiohttp_client": ("HTTPTimeStamper", "AIOHttpTimeStamper"),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": ("AIOHttpFetcherBackend",),
}


def _real(module: str) -> types.ModuleType:
    for name in DEFERRED:  # all at once: the real timestamp client imports the fetchers
        if isinstance(sys.modules.get(name), _StandIn):
            del sys.modules[name]
    return importlib.import_module(module)


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__, __file__): not a use
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _placeholder(module: str, name: str) -> type:
    def create(cls: type, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    return type(name, (), {"__new__": create, "__module__": module, "__doc__": "stand-in"})


def defer_network_clients() -> None:
    """Call before importing pyHanko; does nothing for what is already imported."""
    if "pyhanko.sign" in sys.modules:
        return
    for module, names in DEFERRED.items():
        if module in sys.modules:
            continue
        stand_in = _StandIn(module, "stand-in until a network client is used")
        for name in names:
            setattr(stand_in, name, _placeholder(module, name))
        sys.modules[module] = stand_in
