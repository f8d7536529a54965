"""The lead store: flags become leads with stable keys, organizations and evidence."""
