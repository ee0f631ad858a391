package dev.nojit.audit;

import dev.nojit.bundle.Sha256;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;

/**
 * The audit log file: JSON Lines, one hash-chained event per line (docs/audit.md has the format).
 *
 * <h2>Durability</h2>
 * Every {@link #append} writes its whole line to the file before it returns, with no buffer in
 * this process: once {@code append} has returned, the event is in the kernel's page cache and
 * survives the JVM dying in any way, SIGKILL included (it is lost only if the machine itself
 * goes down before the kernel writes it back). With {@code durable} the call also waits for
 * {@code fsync}: the event and every earlier one are then on stable storage. Concurrent durable
 * appends share one fsync when they can (an fsync covers everything written before it).
 *
 * <h2>Why a {@link FileOutputStream}, not a FileChannel</h2>
 * A FileChannel is interruptible: a thread whose interrupt flag is set when it writes closes the
 * channel for every thread. The vkernel interrupts guest threads to deliver signals, and the
 * guest threads are the ones that append, so one signal at the wrong moment would stop the log
 * (and, failing closed, the container). A FileOutputStream's write and its descriptor's
 * {@code sync()} (fsync) ignore interrupts. The stream is opened once, in append mode; the JDK's
 * write loops until every byte of the line is written.
 *
 * <h2>Failure</h2>
 * After an I/O failure the log refuses every further append with {@link AuditException}; the
 * caller fails closed. An event the log cannot encode (a detail of an unsupported type, a
 * reserved name) is refused alone and does not break the log.
 *
 * <p>Thread-safe: seq, time and the chain are assigned under one lock, in the order the lines
 * are written.
 */
public final class AuditLog implements AuditSink {
    private final Path file;
    private final LogOutput out;
    private final EventEncoder encoder;
    private final Clock clock;
    private final MessageDigest sha = Sha256.newDigest();
    private final Object lock = new Object();
    private final Object syncLock = new Object();

    private volatile long seq;            // guarded by lock for writes: the last seq written
    private volatile String head;         // guarded by lock for writes: the hash of that event
    private long synced;                  // guarded by syncLock: every seq up to this one is fsynced
    private volatile String failure;      // why the log refuses appends, or null
    private boolean closed;               // guarded by lock

    /** Where the log writes; the file implementation is {@link FileOutput}, tests inject failures. */
    interface LogOutput {
        void write(byte[] line) throws IOException;

        void sync() throws IOException;

        void close() throws IOException;
    }

    AuditLog(Path file, LogOutput out, ContainerRef container, String genesis, Clock clock) {
        Objects.requireNonNull(container, "container");
        if (container.id() == null || container.megabinarySha256() == null || container.manifestSha256() == null) {
            throw new IllegalArgumentException("container id, megabinary_sha256 and manifest_sha256 are required");
        }
        if (!Sha256.isHex(genesis)) throw new IllegalArgumentException("genesis must be 64 lowercase hex digits");
        this.file = file;
        this.out = out;
        this.encoder = new EventEncoder(container);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.head = genesis;
    }

    /**
     * Creates a new log at {@code file} (mode 0600) for {@code container}, whose first event will
     * carry {@code genesis} as {@code prev}. Refuses a file that exists and is not empty (a log
     * is evidence: never overwritten); an existing empty regular file is used as it is.
     *
     * @param genesis 64 lowercase hex digits: the attestation's hash once runs are attested, 64 zeros until then
     * @param clock   the source of each event's {@code time}
     * @throws AuditException when the file cannot be created or opened, or exists with content
     */
    public static AuditLog create(Path file, ContainerRef container, String genesis, Clock clock) {
        return reserve(file).start(container, genesis, clock);
    }

    /**
     * Creates and opens the log file now (the same rules as {@link #create}), for a chain that
     * starts later: {@code nojit run} holds the descriptor from before the vkernel starts until the
     * run ends, so what the log becomes is decided when the file is created, never by a later
     * lookup of its name.
     */
    public static Reserved reserve(Path file) {
        return new Reserved(file, FileOutput.create(file));
    }

    /** A created, open, still empty log file; {@link #start} turns it into the log. */
    public static final class Reserved implements AutoCloseable {
        private final Path file;
        private LogOutput out;

        private Reserved(Path file, LogOutput out) {
            this.file = file;
            this.out = out;
        }

        public Path file() {
            return file;
        }

        /** The log on this file, chained from {@code genesis}; the descriptor passes to it (once). */
        public synchronized AuditLog start(ContainerRef container, String genesis, Clock clock) {
            if (out == null) throw new IllegalStateException("audit log " + file + " is already started or closed");
            AuditLog log = new AuditLog(file, out, container, genesis, clock);
            out = null;
            return log;
        }

        public AuditLog start(ContainerRef container, String genesis) {
            return start(container, genesis, Clock.systemUTC());
        }

        /** Closes the file if the log was never started (it stays, empty). */
        @Override
        public synchronized void close() {
            if (out == null) return;
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing was written to it
            }
            out = null;
        }
    }

    /** {@link #create(Path, ContainerRef, String, Clock)} with the system clock (UTC). */
    public static AuditLog create(Path file, ContainerRef container, String genesis) {
        return create(file, container, genesis, Clock.systemUTC());
    }

    @Override
    public long append(AuditEvent event, boolean durable) {
        Objects.requireNonNull(event, "event");
        refuseIfFailed();
        EventEncoder.Body body = encoder.body(event);
        long mine;
        synchronized (lock) {
            refuseIfFailed();
            if (closed) throw new AuditException("audit log " + file + " is closed");
            mine = seq + 1;
            EventEncoder.Sealed line = encoder.seal(body, mine, clock.instant(), head, sha);
            try {
                out.write(line.line());
            } catch (IOException | RuntimeException e) {
                throw fail("write failed", e);
            }
            head = line.hash();
            seq = mine;
        }
        if (durable) syncThrough(mine);
        return mine;
    }

    /** Returns once every event up to {@code mine} is on stable storage; one fsync may serve several callers. */
    private void syncThrough(long mine) {
        synchronized (syncLock) {
            if (synced >= mine) return;
            refuseIfFailed();
            long written = seq; // everything up to here is already written; this fsync covers it
            try {
                out.sync();
            } catch (IOException | RuntimeException e) {
                throw fail("fsync failed", e);
            }
            synced = written;
        }
    }

    @Override
    public String head() {
        return head;
    }

    /** The {@code seq} of the last event appended (0 before any). */
    public long lastSeq() {
        return seq;
    }

    public Path file() {
        return file;
    }

    /** Flushes to stable storage (fsync) and closes the file. Appends after this fail. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            try {
                synchronized (syncLock) {
                    if (failure == null) {
                        out.sync();
                        synced = seq;
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw fail("fsync at close failed", e);
            } finally {
                try {
                    out.close();
                } catch (IOException e) {
                    if (failure == null) failure = "audit log " + file + ": close failed: " + e.getMessage();
                }
            }
        }
    }

    private void refuseIfFailed() {
        String f = failure;
        if (f != null) throw new AuditException(f + "; no further events can be recorded");
    }

    private AuditException fail(String what, Exception e) {
        String message = "audit log " + file + ": " + what + ": " + e.getMessage();
        if (failure == null) failure = message;
        return new AuditException(message + "; no further events can be recorded", e);
    }

    /** The log file, opened once in append mode (see the class comment for why a stream). */
    static final class FileOutput implements LogOutput {
        private final FileOutputStream stream;

        private FileOutput(FileOutputStream stream) {
            this.stream = stream;
        }

        static FileOutput create(Path file) {
            try {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isRegularFile()) throw new AuditException("audit log " + file + " exists and is not a regular file");
                    if (a.size() != 0) {
                        throw new AuditException("audit log " + file + " already exists and is not empty: refusing to overwrite evidence");
                    }
                }
                return new FileOutput(new FileOutputStream(file.toFile(), true));
            } catch (IOException e) {
                String why = switch (e) {
                    case java.nio.file.NoSuchFileException n -> "its directory does not exist";
                    case java.nio.file.AccessDeniedException a -> "permission denied";
                    default -> e.getMessage();
                };
                throw new AuditException("audit log " + file + ": cannot create: " + why, e);
            }
        }

        @Override
        public void write(byte[] line) throws IOException {
            stream.write(line);
        }

        @Override
        public void sync() throws IOException {
            stream.getFD().sync();
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
