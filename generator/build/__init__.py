"""Running a build: the pipeline (plan, render in parallel, write with an atomic swap), the output folder and the lock."""
