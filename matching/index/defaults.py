"""Tuning defaults shared by the index classes and their stores."""

#: ``auto`` picks flat (exact) below this many placements: exact search of 100k
#: 384-d vectors takes a few ms per query with one thread, so approximate search
#: is only worth its build time and recall loss well above that.
DEFAULT_AUTO_THRESHOLD = 250_000
#: Allowed sets up to this size are scored by gathering their vectors and one
#: numpy product: exact, and cheaper than any filtered FAISS search.
DEFAULT_EXACT_BELOW = 2048
#: HNSW/IVF: below this share of the index allowed, a filtered exact scan is
#: cheaper than widening the approximate search enough to find ``top`` hits.
DEFAULT_EXACT_FRACTION = 0.02
