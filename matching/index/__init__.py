"""The vector index of place embeddings (FAISS, with a numpy oracle)."""
