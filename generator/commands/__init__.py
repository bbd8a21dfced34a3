"""The commands besides build: serve, check, new, schema and docs."""
