// Placeholder: the ingest benchmark lands with the foundation issue.
print("benchmark not built yet")
