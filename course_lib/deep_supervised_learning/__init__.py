"""Chapter 2, Deep supervised learning: from shallow to deep, optimisation and overfitting."""
