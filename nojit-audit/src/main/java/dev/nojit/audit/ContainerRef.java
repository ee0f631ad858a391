package dev.nojit.audit;

/** {@code container}: which run, and which signed megabinary and manifest it ran. */
public record ContainerRef(String id, String megabinarySha256, String manifestSha256) {}
