"""Domain vocabulary: office levels, LAO types, routing, form states, programme templates."""
