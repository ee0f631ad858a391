package dev.nojit.cli.simulate;

/**
 * One technique's line of the result table.
 *
 * @param observed what happened, in the terms of the EXPECTED column (or what went wrong)
 * @param seq      the audit event seq of the violation ("-" when none was expected or recorded)
 * @param passed   observed matches expected, nothing got through
 */
public record Row(Technique technique, String observed, String seq, boolean passed) {}
