package dev.nojit.audit;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.nojit.audit.SampleEvents.CONTAINER;
import static dev.nojit.audit.SampleEvents.GENESIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way of tampering with a log that the chain alone can reveal, and the first bad line it names. */
class AuditVerifierTest {
    @TempDir
    Path dir;
    Path log;
    List<String> lines;
    String fullLastHash;

    @BeforeEach
    void writeLog() throws IOException {
        log = dir.resolve("audit.jsonl");
        try (AuditLog l = AuditLog.create(log, CONTAINER, GENESIS)) {
            l.append(SampleEvents.start(), true);
            l.append(SampleEvents.exec(1), false);
            l.append(SampleEvents.exec(2), false);
            l.append(SampleEvents.execDenied(2), true);
            l.append(SampleEvents.exit(1, 0), false);
            l.append(SampleEvents.exec(3), false);
            l.append(SampleEvents.mprotectDenied(3), true);
            l.append(SampleEvents.stop(), true);
            fullLastHash = l.head();
        }
        lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(8);
    }

    AuditVerifier.Verification verifyLines(List<String> ls) throws IOException {
        Path f = dir.resolve("tampered-" + System.nanoTime() + ".jsonl");
        Files.writeString(f, String.join("\n", ls) + "\n", StandardCharsets.UTF_8);
        return AuditVerifier.verify(f);
    }

    AuditVerifier.Verification verifyBytes(byte[] bytes) throws IOException {
        Path f = dir.resolve("tampered-" + System.nanoTime() + ".jsonl");
        Files.write(f, bytes);
        return AuditVerifier.verify(f);
    }

    /** Line {@code index} (0-based) changed by {@code edit} and given a correct hash of its own: a forger's line. */
    String forge(int index, Consumer<ObjectNode> edit) {
        ObjectNode e = (ObjectNode) CanonicalJson.mapper().readTree(lines.get(index));
        edit.accept(e);
        e.remove("hash");
        e.put("hash", Sha256.hex(CanonicalJson.canonicalize(e)));
        return new String(CanonicalJson.canonicalize(e), StandardCharsets.UTF_8);
    }

    String hashOf(int index) {
        return CanonicalJson.mapper().readTree(lines.get(index)).get("hash").stringValue();
    }

    @Test
    void anUntouchedLogIsIntact() {
        AuditVerifier.Verification v = AuditVerifier.verify(log);
        assertThat(v.intact()).isTrue();
        assertThat(v.problem()).isNull();
        assertThat(v.events()).isEqualTo(8);
        assertThat(v.genesis()).isEqualTo(GENESIS);
        assertThat(v.lastHash()).isEqualTo(fullLastHash);
        assertThat(v.container()).isEqualTo(CONTAINER);
    }

    @Test
    void anEditedValueIsCaughtByItsHash() throws IOException {
        List<String> t = new ArrayList<>(lines);
        assertThat(t.get(6)).contains("PROT_EXEC asked for guest memory");
        t.set(6, t.get(6).replace("PROT_EXEC asked for guest memory", "PROT_READ asked for guest memory"));
        assertThat(CanonicalJson.isCanonical(t.get(6).getBytes(StandardCharsets.UTF_8))).as("still valid canonical JSON").isTrue();
        AuditVerifier.Verification v = verifyLines(t);
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).isEqualTo("line 7: hash does not match its content (edited?)");
        assertThat(v.badLine()).isEqualTo(7);
        assertThat(v.events()).isEqualTo(6);
    }

    @Test
    void anEditedActionIsCaughtToo() throws IOException {
        List<String> t = new ArrayList<>(lines);
        t.set(3, t.get(3).replace("\"action\":\"kill-process\"", "\"action\":\"allowed\""));
        assertThat(t.get(3)).isNotEqualTo(lines.get(3));
        assertThat(verifyLines(t).problem()).isEqualTo("line 4: hash does not match its content (edited?)");
    }

    @Test
    void aDeletedLineIsCaughtBySeq() throws IOException {
        List<String> t = new ArrayList<>(lines);
        t.remove(4);
        assertThat(verifyLines(t).problem()).isEqualTo("line 5: seq 6 where 5 expected (line deleted or reordered?)");
    }

    @Test
    void twoSwappedLinesAreCaught() throws IOException {
        List<String> t = new ArrayList<>(lines);
        java.util.Collections.swap(t, 3, 4);
        assertThat(verifyLines(t).problem()).isEqualTo("line 4: seq 5 where 4 expected (line deleted or reordered?)");
    }

    @Test
    void anInsertedCopyOfAnotherLineIsCaught() throws IOException {
        List<String> t = new ArrayList<>(lines);
        t.add(4, lines.get(1));
        assertThat(verifyLines(t).problem()).isEqualTo("line 5: seq 2 where 5 expected (line deleted or reordered?)");
    }

    @Test
    void anInsertedForgedLineWithItsOwnCorrectHashIsCaughtByTheChain() throws IOException {
        // The forger numbers the line in sequence and hashes it correctly, but cannot know prev...
        List<String> t = new ArrayList<>(lines);
        t.add(4, forge(4, e -> e.put("prev", hashOf(2))));
        assertThat(verifyLines(t).problem())
                .isEqualTo("line 5: prev does not match the hash of line 4 (inserted or reordered?)");

        // ...and with the right prev, the line after it no longer fits.
        List<String> t2 = new ArrayList<>(lines);
        t2.add(4, forge(4, e -> e.put("reason", "forged")));
        assertThat(verifyLines(t2).problem()).isEqualTo("line 6: seq 5 where 6 expected (line deleted or reordered?)");
    }

    @Test
    void aReplacedLineWithARecomputedHashBreaksTheNextLinksPrev() throws IOException {
        List<String> t = new ArrayList<>(lines);
        t.set(3, forge(3, e -> e.put("action", "allowed")));
        assertThat(verifyLines(t).problem())
                .isEqualTo("line 5: prev does not match the hash of line 4 (inserted or reordered?)");
    }

    @Test
    void aLineFromAnotherContainerIsCaught() throws IOException {
        List<String> t = new ArrayList<>(lines);
        String forged = forge(1, e -> ((ObjectNode) e.get("container")).put("id", "other"));
        t.set(1, forged);
        t.set(2, forge(2, e -> e.put("prev", CanonicalJson.mapper().readTree(forged).get("hash").stringValue())));
        AuditVerifier.Verification v = verifyLines(t.subList(0, 2));
        assertThat(v.problem()).isEqualTo("line 2: container differs from line 1 (lines from another run?)");
    }

    @Test
    void aTruncatedLastLineIsCaught() throws IOException {
        byte[] all = Files.readAllBytes(log);
        byte[] cut = java.util.Arrays.copyOf(all, all.length - 20);
        AuditVerifier.Verification v = verifyBytes(cut);
        assertThat(v.problem()).startsWith("line 8: truncated");
        assertThat(v.events()).isEqualTo(7);
    }

    @Test
    void whatTheChainCannotSeeAloneLinesCutAtALineBoundaryChangeOnlyTheLastHash() throws IOException {
        AuditVerifier.Verification v = verifyLines(lines.subList(0, 6));
        assertThat(v.intact()).as("a shorter chain is a valid chain").isTrue();
        assertThat(v.lastHash()).as("the attestation's last hash tells").isNotEqualTo(fullLastHash);
    }

    @Test
    void nonCanonicalSpellingsOfTheSameEventAreRefused() throws IOException {
        ObjectNode e = (ObjectNode) CanonicalJson.mapper().readTree(lines.get(2));
        List<String> spaced = new ArrayList<>(lines);
        spaced.set(2, CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(e).replace("\n", ""));
        assertThat(verifyLines(spaced).problem()).isEqualTo("line 3: not in RFC 8785 canonical form (re-serialized or edited?)");

        List<String> escaped = new ArrayList<>(lines);
        escaped.set(2, lines.get(2).replace("\"container_start\"", "\"container_st\\u0061rt\"")
                .replace("\"exec\"", "\"ex\\u0065c\""));
        assertThat(escaped.get(2)).isNotEqualTo(lines.get(2));
        assertThat(verifyLines(escaped).problem()).isEqualTo("line 3: not in RFC 8785 canonical form (re-serialized or edited?)");

        List<String> reordered = new ArrayList<>(lines);
        String l = lines.get(2);
        reordered.set(2, "{" + l.substring(l.indexOf(',') + 1, l.length() - 1) + "," + l.substring(1, l.indexOf(',')) + "}");
        assertThat(verifyLines(reordered).problem()).isEqualTo("line 3: not in RFC 8785 canonical form (re-serialized or edited?)");
    }

    @Test
    void garbageAndMissingMembersAreNamed() throws IOException {
        List<String> t = new ArrayList<>(lines);
        t.set(2, "{\"seq\":3,");
        assertThat(verifyLines(t).problem()).startsWith("line 3: not valid JSON");

        t.set(2, "[1,2]");
        assertThat(verifyLines(t).problem()).isEqualTo("line 3: not a JSON object");

        t.set(2, forge(2, e -> e.remove("time")));
        assertThat(verifyLines(t).problem()).isEqualTo("line 3: member \"time\" missing or not a string");

        t.set(2, forge(2, e -> e.put("prev", "xyz")));
        assertThat(verifyLines(t).problem()).isEqualTo("line 3: member \"prev\" missing or not 64 lowercase hex digits");

        t.set(2, "");
        assertThat(verifyLines(t).problem()).isEqualTo("line 3: empty line");
    }

    @Test
    void emptyHugeAndMissingFiles() throws IOException {
        AuditVerifier.Verification empty = verifyBytes(new byte[0]);
        assertThat(empty.intact()).isFalse();
        assertThat(empty.problem()).isEqualTo("no events");

        byte[] huge = new byte[AuditReader.MAX_LINE + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[huge.length - 1] = '\n';
        assertThat(verifyBytes(huge).problem()).isEqualTo("line 1: longer than 1 MiB");

        assertThatThrownBy(() -> AuditVerifier.verify(dir.resolve("nope.jsonl")))
                .isInstanceOf(AuditException.class).hasMessage("no such file: " + dir.resolve("nope.jsonl"));
        assertThatThrownBy(() -> AuditVerifier.verify(dir))
                .isInstanceOf(AuditException.class).hasMessageContaining("not a regular file");
    }
}
