"""Base spiders, one per kind of site; each source YAML names the one it uses."""
