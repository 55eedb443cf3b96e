"""The SQL store: engine, units of work, tables and queries that never commit."""
