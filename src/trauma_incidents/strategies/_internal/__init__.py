"""
The implementation of `trauma_incidents.strategies`, one module per concept.

`_base` holds the argument checks and drawing helpers every other module uses; `_parts`,
`_response` and `_safeguarding` the strategies for an incident's parts; `_incidents` the
incident strategy, with `_evidence` drawing the evidence of the response; `_register` the
type registration for ``st.from_type``.
"""
