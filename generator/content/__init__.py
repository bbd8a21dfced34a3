"""Step 1, load: reading content files and validating them into models (every problem collected)."""
