"""Lead packets for case officers: a Word report, the evidence as fetched, a manifest."""
