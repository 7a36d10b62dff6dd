"""GraphQL object types; each wraps a domain value, never a table row."""
