"""Training the models that ship in ``models/``: today the static Dutch encoder.

This package sits above the stages it learns from (it reads the demo generator
and the ranker's texts); nothing in the matching flow imports it.
"""

from matching.training.distill import DistillConfig, DistillReport, distill, train_encoder

__all__ = ["DistillConfig", "DistillReport", "distill", "train_encoder"]
