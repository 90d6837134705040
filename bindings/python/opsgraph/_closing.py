"""Context-manager and finaliser behaviour shared by every object that owns a library handle."""

from __future__ import annotations

from typing import Any


class Closing:
    """A handle owner: ``with`` closes it, and so does garbage collection. Subclasses define an
    idempotent ``close()``."""

    def close(self) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the module may be half gone
            pass
