package dev.nojit.engine;

/**
 * The pre-decoded body of one defined function.
 *
 * @param typeIndex  index into the module's types
 * @param numParams  parameters (the first locals)
 * @param numResults results
 * @param numLocals  all locals, parameters included
 * @param frameSize  locals plus the deepest operand stack the body reaches, in slots
 * @param code       {@link Op} instructions
 * @param refLocals  indices of non-parameter locals of reference type (they start as null, not 0)
 */
record FunctionCode(int typeIndex, int numParams, int numResults, int numLocals, int frameSize, int[] code,
                    int[] refLocals) {}
