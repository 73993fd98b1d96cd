"""Partner organisations (unions, NGOs) that accompany workers' cases with their consent.

``registry``: the organisations an operator accredits, and their ``partner-<org>`` clients;
``ledger``: the consent ledger (signed, versioned, append-only artefacts); ``text``: the exact
consent text a worker is shown, and the receipt.
"""

from hub.partners.ledger import Consent, ConsentError, ConsentLedger
from hub.partners.registry import Organisation, PartnerRegistry

__all__ = ["Consent", "ConsentError", "ConsentLedger", "Organisation", "PartnerRegistry"]
