"""SQLAlchemy models, migrations and the ticket lifecycle: the single source of truth."""
