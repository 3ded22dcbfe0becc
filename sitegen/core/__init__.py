"""The domain: config, errors, addresses, sources, front matter, Markdown, pages, the site model."""
