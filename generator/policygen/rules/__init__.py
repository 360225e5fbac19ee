"""What must hold: the source schema, the rules a schema cannot express, releases, bumps and
changes, freshness."""
