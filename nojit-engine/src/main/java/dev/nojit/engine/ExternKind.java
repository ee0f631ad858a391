package dev.nojit.engine;

/** What an import or export names. */
public enum ExternKind { FUNCTION, TABLE, MEMORY, GLOBAL }
