"""Chapter 5, Deep reinforcement learning: an agent learns a policy from reward."""
