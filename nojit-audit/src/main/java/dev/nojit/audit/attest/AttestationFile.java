package dev.nojit.audit.attest;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The file {@code --attestation FILE} names: JSON Lines, UTF-8, each line one DSSE envelope in
 * canonical JSON followed by {@code \n}. Line 1 is the start statement, written (and fsynced)
 * when the lockdown is in force and before the audit log's first event; line 2 the stop
 * statement, appended (and fsynced) after the log's last event. Nothing else. A file with only
 * line 1 is a run that is still going, or one that did not end cleanly, or a file cut short.
 *
 * <p>{@link #read} checks the pair: both signed by the trusted key, line 1 a start and line 2 a
 * stop statement, the stop statement naming the start one's digest and repeating what it says.
 */
public final class AttestationFile {
    /** The largest file accepted: two statements with hundreds of Landlock rules are far smaller. */
    public static final long MAX_FILE = 1 << 20;
    public static final String NO_STOP = "no stop statement: the run did not end cleanly or the file was cut";

    private AttestationFile() {}

    /** A start and a stop statement that verified and belong together. */
    public record AttestedRun(Attestations.Verified start, Attestations.Verified stop) {
        public AttestedRun {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(stop, "stop");
        }

        /** The audit log's genesis: line 1's {@code prev}. */
        public String genesis() {
            return start.digest();
        }

        public RunAttestation.Stop end() {
            return stop.statement().stop();
        }
    }

    /**
     * Creates {@code file} (mode 0600) holding the start envelope as line 1, and fsyncs it.
     * Refuses a file that exists with content (evidence is never overwritten); an existing empty
     * regular file is used.
     */
    public static void writeStart(Path file, byte[] startEnvelope) throws IOException, AttestationException {
        requireOneLine(startEnvelope);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) throw new AttestationException("attestation " + file + " exists and is not a regular file");
            if (a.size() != 0) throw new AttestationException("attestation " + file + " already exists and is not empty: refusing to overwrite evidence");
        }
        appendLine(file, startEnvelope);
    }

    /** Appends the stop envelope as line 2 and fsyncs it; refuses unless the file holds exactly one whole line. */
    public static void appendStop(Path file, byte[] stopEnvelope) throws IOException, AttestationException {
        requireOneLine(stopEnvelope);
        byte[] now = Files.readAllBytes(file);
        int ends = 0;
        for (byte b : now) if (b == '\n') ends++;
        if (ends != 1 || now[now.length - 1] != '\n') {
            throw new AttestationException("attestation " + file + ": expected exactly the start statement before the stop statement");
        }
        appendLine(file, stopEnvelope);
    }

    private static void requireOneLine(byte[] envelope) {
        for (byte b : envelope) if (b == '\n') throw new IllegalArgumentException("an envelope line must not contain a newline");
        if (envelope.length == 0) throw new IllegalArgumentException("empty envelope");
    }

    private static void appendLine(Path file, byte[] line) throws IOException {
        byte[] withEnd = Arrays.copyOf(line, line.length + 1);
        withEnd[line.length] = '\n';
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(withEnd);
            out.getFD().sync();
        }
    }

    /**
     * Reads and checks the file against the trusted key.
     *
     * @throws AttestationException one line naming the problem, prefixed with the line number
     *                              where one applies; {@link #NO_STOP} when line 2 is missing
     */
    public static AttestedRun read(Path file, PublicKey key) throws AttestationException {
        List<byte[]> lines = lines(file);
        if (lines.isEmpty()) throw new AttestationException("no start statement: the file is empty");
        Attestations.Verified start = verifyLine(lines, 0, key);
        if (start.statement().phase() != RunAttestation.Phase.START) {
            throw new AttestationException("line 1: is a stop statement; the start statement must come first");
        }
        if (lines.size() < 2) throw new AttestationException(NO_STOP);
        if (lines.size() > 2) throw new AttestationException("line 3: unexpected: the file holds one start and one stop statement only");
        Attestations.Verified stop = verifyLine(lines, 1, key);
        if (stop.statement().phase() != RunAttestation.Phase.STOP) {
            throw new AttestationException("line 2: is a second start statement, not a stop statement");
        }
        if (!stop.statement().stop().startSha256().equals(start.digest())) {
            throw new AttestationException("line 2: the stop statement names another start statement (start.sha256 is not line 1's digest)");
        }
        String differs = firstDifference(start.statement(), stop.statement().asStart());
        if (differs != null) throw new AttestationException("line 2: the stop statement's " + differs + " differs from the start statement's");
        return new AttestedRun(start, stop);
    }

    private static Attestations.Verified verifyLine(List<byte[]> lines, int index, PublicKey key) throws AttestationException {
        try {
            return Attestations.verify(lines.get(index), key);
        } catch (AttestationException e) {
            throw new AttestationException("line " + (index + 1) + ": " + e.getMessage());
        }
    }

    /** The name of the first statement field in which the two differ, or null. */
    private static String firstDifference(RunAttestation a, RunAttestation b) {
        if (!a.containerId().equals(b.containerId())) return "container.id";
        if (!a.startTime().equals(b.startTime())) return "container.startTime";
        if (!a.megabinarySha256().equals(b.megabinarySha256())) return "megabinary digest";
        if (!a.manifestSha256().equals(b.manifestSha256())) return "manifest digest";
        if (!a.nojitVersion().equals(b.nojitVersion())) return "nojit.version";
        if (!a.jarSha256().equals(b.jarSha256())) return "nojit.jarSha256";
        if (!a.engine().equals(b.engine()) || !a.aotExecutables().equals(b.aotExecutables())) return "engine";
        if (!a.lockdown().equals(b.lockdown())) return "hostLockdown";
        return null;
    }

    private static List<byte[]> lines(Path file) throws AttestationException {
        byte[] all;
        try {
            if (!Files.isRegularFile(file)) {
                throw new AttestationException(Files.exists(file) ? "not a regular file" : "no such file");
            }
            if (Files.size(file) > MAX_FILE) throw new AttestationException("larger than " + (MAX_FILE >> 20) + " MiB: not an attestation file");
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AttestationException("no such file");
        } catch (AccessDeniedException e) {
            throw new AttestationException("permission denied");
        } catch (IOException e) {
            throw new AttestationException("cannot read: " + e.getMessage());
        }
        List<byte[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') continue;
            lines.add(Arrays.copyOfRange(all, from, i));
            from = i + 1;
        }
        if (from < all.length) {
            throw new AttestationException("line " + (lines.size() + 1) + ": truncated: the file does not end with a newline (a write cut short?)");
        }
        return lines;
    }
}
