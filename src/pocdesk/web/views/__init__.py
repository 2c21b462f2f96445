"""Page views, one module per domain object."""
