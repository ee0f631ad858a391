package dev.nojit.bundle.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.tar.TarEntry;
import dev.nojit.bundle.tar.TarReader;
import dev.nojit.bundle.tar.TarWriter;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Fuzzes {@link TarReader}: iterating any bytes ends (it must terminate) with null or a
 * {@link BundleException} (one non-empty line); nothing else escapes. Three readings of the same
 * bytes must agree: with the file length known, as a stream of unknown length, and skipping the
 * content instead of reading it. And since the reader accepts only the canonical form, an
 * accepted archive is byte for byte what {@link TarWriter} writes for its entries.
 */
@ExtendWith(ReplayTimeout.class)
class TarReaderFuzzTest {
    /** A small per-entry limit, so the fuzzer meets it. */
    static final long MAX_ENTRY = 4096;

    @FuzzTest(maxDuration = "2m")
    void entries(byte[] data) throws IOException {
        Reading known = read(data, data.length, true);
        Reading stream = read(data, -1, true);
        Reading skipped = read(data, data.length, false);
        if (known.accepted() != stream.accepted() || known.accepted() != skipped.accepted()) {
            throw new AssertionError("readings disagree: known length " + known.outcome() + ", stream " + stream.outcome()
                    + ", skipping " + skipped.outcome());
        }
        if (!known.accepted()) return;
        if (!known.entries().equals(stream.entries()) || !sameHeaders(known.entries(), skipped.entries())) {
            throw new AssertionError("readings accept different entries");
        }

        long mtime = known.entries().isEmpty() ? 0 : known.entries().getFirst().mtime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out, mtime);
        long offset = 512;
        for (Item e : known.entries()) {
            if (e.mtime() != mtime) throw new AssertionError("entries with different modification times accepted");
            if (e.contentOffset() != offset) throw new AssertionError("entry '" + e.name() + "' content offset " + e.contentOffset() + ", expected " + offset);
            if (e.size() > MAX_ENTRY || e.content().length != e.size()) throw new AssertionError("entry '" + e.name() + "' size " + e.size());
            w.add(e.name(), e.content());
            offset += e.size() + (512 - e.size() % 512) % 512 + 512;
        }
        w.finish();
        if (!Arrays.equals(out.toByteArray(), data)) throw new AssertionError("accepted archive is not what TarWriter writes for its entries");
    }

    private record Item(String name, long size, long contentOffset, long mtime, byte[] content) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Item i && name.equals(i.name) && size == i.size && contentOffset == i.contentOffset
                    && mtime == i.mtime && Arrays.equals(content, i.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, size, contentOffset, mtime, Arrays.hashCode(content));
        }
    }

    private record Reading(List<Item> entries, BundleException refusal) {
        boolean accepted() {
            return refusal == null;
        }

        String outcome() {
            return accepted() ? entries.size() + " entries" : "refused (" + refusal.getMessage() + ")";
        }
    }

    private static Reading read(byte[] data, long length, boolean readContent) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(data), MAX_ENTRY, length);
        List<Item> items = new ArrayList<>();
        try {
            for (TarEntry e; (e = r.next()) != null; ) {
                if (items.size() > data.length / 512) throw new AssertionError("more entries than 512-byte blocks");
                byte[] content = readContent ? (items.size() % 2 == 0 ? r.readAll() : readInPieces(r)) : null;
                items.add(new Item(e.name(), e.size(), e.contentOffset(), e.mtime(), content));
            }
            if (r.next() != null) throw new AssertionError("an entry after the end of the archive");
            return new Reading(items, null);
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
            return new Reading(items, e);
        }
    }

    private static byte[] readInPieces(TarReader r) throws IOException, BundleException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7];
        for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) {
            if (n == 0) throw new AssertionError("read returned 0 bytes");
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static boolean sameHeaders(List<Item> a, List<Item> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            Item x = a.get(i), y = b.get(i);
            if (!x.name().equals(y.name()) || x.size() != y.size() || x.contentOffset() != y.contentOffset() || x.mtime() != y.mtime()) return false;
        }
        return true;
    }
}
