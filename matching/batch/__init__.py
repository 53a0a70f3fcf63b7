"""The nightly batch: snapshots, partitions, merges, allocation and digests."""
