"""Kemnaker: SIAPkerja job-seeker registry (AK/1) and P3MI placement-company licences."""

from connectors.kemnaker.client import KemnakerConnector
from connectors.kemnaker.factory import build_auth, connect

__all__ = ["KemnakerConnector", "build_auth", "connect"]
