"""Agency connectors: one package per agency system, plus the shared kit and sandbox kit."""
