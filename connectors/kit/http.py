"""Translate transport failures and HTTP statuses into the connector error hierarchy."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
from collections.abc import Iterator

import httpx

from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BadResponse,
    ResponseTooLarge,
)
from connectors.kit.limits import BodyTooLarge

# httpx logs every request's URL at INFO, and an agency URL can carry personal data (Kemnaker
# looks job seekers up by NIK in a GET query). Connector logs say what failed, never the URL.
logging.getLogger("httpx").setLevel(logging.WARNING)


@contextlib.contextmanager
def agency_errors(agency: str) -> Iterator[None]:
    """Turn httpx's transport errors into AgencyTimeout / AgencyUnavailable."""
    try:
        yield
    except BodyTooLarge as exc:
        raise ResponseTooLarge(agency, str(exc)) from exc
    except httpx.TimeoutException as exc:
        raise AgencyTimeout(agency, f"no answer in time ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise AgencyUnavailable(agency, f"cannot reach the agency ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:  # decoding errors, redirect loops: the answer is unusable
        raise BadResponse(agency, f"unusable answer ({type(exc).__name__})") from exc


def retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After (delta-seconds or an HTTP date) into seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def check_status(response: httpx.Response, agency: str) -> None:
    """Raise the typed error for a non-2xx answer; a 404 is left to the caller."""
    status = response.status_code
    if status < 400 or status == 404:
        return
    if status in (401, 403):
        raise AgencyRejected(agency, f"credentials refused (HTTP {status})")
    if status == 429:
        retry = retry_after_seconds(response.headers.get("Retry-After"))
        raise AgencyRateLimited(agency, "rate limited (HTTP 429)", retry_after=retry)
    if status >= 500:
        raise AgencyUnavailable(agency, f"agency error (HTTP {status})")
    raise BadResponse(agency, f"agency refused the request (HTTP {status})")
