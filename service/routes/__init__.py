"""The API's endpoints, one module per resource, all under /v1."""
