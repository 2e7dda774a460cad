"""Chapter 4, Deep recurrent networks: sequences and a hidden state."""
