package dev.nojit.bench.vkernel;

/** One line of the report: a measure, its unit, the values and what one value is. */
record Row(String measure, String unit, Sample sample, String oneSample) {}
