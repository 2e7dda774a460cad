"""Chapter 5, deep reinforcement learning: agents that learn from reward and from self-play."""
