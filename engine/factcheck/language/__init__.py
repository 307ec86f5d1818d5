"""The rule language: what a rule may say, independent of how it is checked or run.

`compile/` checks rules against it and lowers them for durable_rules; `evaluate/` gives it meaning
(the field tests' semantics, the built-ins' implementations). Both import from here, never the
other way round.
"""
