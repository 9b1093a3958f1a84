"""Named queries over any GraphStore; the HTTP layer and the CLI call these, never Cypher."""
