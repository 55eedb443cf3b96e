"""Discord front end: one module per command family, thin over the services."""
