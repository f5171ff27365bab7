"""Turkish normalization and the free-text matcher: pure, no I/O."""
