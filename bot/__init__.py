"""Dialog engine, channel adapters, notifier, SLA scheduler, CLI and app wiring."""
