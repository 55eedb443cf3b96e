"""Pure domain code: no Discord, no database, no I/O."""
