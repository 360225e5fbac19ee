"""Putting it together: the review of a project, released versions re-derived, the site's files,
the cached plan."""
