package dev.nojit.engine;

/** One export: a name and the index of a function, table, memory or global in the module's index space. */
public record ExportSpec(String name, ExternKind kind, int index) {}
