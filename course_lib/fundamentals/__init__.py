"""Chapter 1, Fundamentals: a network is "just a function", learnt by backpropagation."""
