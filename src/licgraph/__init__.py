"""licgraph: a GraphQL API for a cloud partner's license management."""
