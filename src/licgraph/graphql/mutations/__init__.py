"""One module per mutation: decode the input, call the use case, map the result."""
