"""The HTTP API under /api/v1: one package per domain context (its controllers and its request
and response structs), what they share in `common`, and the router that assembles them."""
