"""Loading, validating and looking up the question bank."""
