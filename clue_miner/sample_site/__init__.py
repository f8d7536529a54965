"""The bundled sample of public-record portals: content in ``sample_site/content/*.yml``,
HTML templates in ``sample_site/templates/``, rendered to static files and served on
127.0.0.1 for the demo and the tests."""
