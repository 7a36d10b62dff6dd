"""Pure rules and value objects: no I/O, no framework."""
