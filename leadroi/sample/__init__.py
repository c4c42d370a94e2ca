"""The deterministic sample dataset of ``leadroi sample`` (:func:`generate_sample`)."""

from leadroi.sample.generate import generate_sample

__all__ = ["generate_sample"]
