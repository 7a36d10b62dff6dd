"""The HTTP face: Strawberry types, resolvers, loaders and the error policy."""
