package dev.nojit.engine;

/**
 * An unwind taken by a compiled frame: continue after call site {@code site} with the values saved there and
 * the returns-twice import returning {@code results} (raw bits) a second time.
 */
public record AotResume(int site, long[] saved, long[] results) {}
