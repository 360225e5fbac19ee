"""What is published: the pages' Markdown, the disclosure JSON and catalog, the format reference."""
