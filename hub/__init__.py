"""The gateway: app assembly, request pipeline, crosswalk, protection, storage, CLI."""
