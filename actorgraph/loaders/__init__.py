"""Everything that turns input into model objects: articles, curated YAML, name resolution."""
