"""Sign-in through an external OpenID Connect provider (a ministry Keycloak), ``HUB_OIDC_*``.

The hub is the provider's relying party; the console then holds the hub's own token:

- ``settings``: the ``HUB_OIDC_*`` variables, checked at start-up
- ``provider``: discovery, JWKS, the code exchange and the ID token checks
- ``mapping``: provider groups (or roles) to hub scopes and a mission
- ``pending``: sign-ins begun at the provider, consumed once
- ``accounts``: provider accounts as hub users (``oidc:<sub>``)
- ``routes``: ``/oauth/oidc/start`` and ``/oauth/oidc/callback``
- ``models``: their tables

docs/auth.md shows how to connect Keycloak.
"""
