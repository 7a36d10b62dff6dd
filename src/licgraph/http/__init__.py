"""HTTP concerns around the GraphQL endpoint: browser-safety headers and CORS."""
