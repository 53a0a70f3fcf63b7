"""The constraint engine: the contract's verdict table, vectorised over places."""
