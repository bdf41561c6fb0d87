"""The analytic standards: a claim's sourcing, the ICD 203 review, the evidence matrix."""
