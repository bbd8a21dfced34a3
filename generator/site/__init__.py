"""Step 2, site: the one immutable Site model a build renders, and what is derived from it."""
