"""The shared data model: the scenario format, the records connectors produce, and the enums."""
