"""Chapter 5, Deep reinforcement learning: agents that learn from reward and from self-play."""
