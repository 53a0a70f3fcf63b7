"""Text encoders and the persistent embedding cache."""
