"""Reading safely: the project's files read once, YAML with positions, the schemas, the claim
vocabulary, the release archive, what git remembers of it, the cache."""
