"""Use cases: plain ids in, result objects out; the caller's unit of work commits."""
