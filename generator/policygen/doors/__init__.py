"""The ways in: the command line, the MkDocs plugin, build, release, verify, pdf, new."""
