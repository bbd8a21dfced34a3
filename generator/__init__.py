"""Static site generator for the innovation blog and programme of Region Jämtland Härjedalen.

The build is a pipeline, one module a step:
load (files -> validated models) -> site (one immutable model) -> plan (outputs)
-> render (bytes, in parallel) -> write (the only module touching the output folder).
"""
