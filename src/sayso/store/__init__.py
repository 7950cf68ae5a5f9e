"""The ledger: documents, their figures, sources and quotes in a database (SQLite or PostgreSQL)."""
