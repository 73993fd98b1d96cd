from connectors.sandbox.docs import TARGET, render


def test_sandbox_dialect_docs_are_current() -> None:
    assert TARGET.read_text() == render(), "run: python -m connectors.sandbox.docs"
