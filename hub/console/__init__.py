"""The emergency console: a static web page the hub serves at ``/console``."""

from hub.console.routes import CSP, console_routes

__all__ = ["CSP", "console_routes"]
