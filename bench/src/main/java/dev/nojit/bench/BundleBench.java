package dev.nojit.bench;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * Build and verify of a bundle of about 20 MiB of WebAssembly modules, against plain SHA-256
 * of the same bundle file: the acceptance target is that verify runs at the speed of SHA-256.
 * Every invocation is one whole operation over the whole bundle, timed on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 15)
@Measurement(iterations = 20)
public class BundleBench {
    private static final int CHUNK = 1 << 16;

    private Workload workload;
    private Path buildOut;
    private byte[] bundleBytes;

    @Setup(Level.Trial)
    public void setup() throws IOException, BundleException {
        workload = Workload.fromPropertyOrTemp();
        buildOut = workload.dir().resolve("build-" + ProcessHandle.current().pid() + ".nojit");
        bundleBytes = Files.readAllBytes(workload.bundle());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(buildOut);
        workload.close();
    }

    /** Reads, hashes and statically verifies every module, signs, writes and fsyncs the bundle. */
    @Benchmark
    @Warmup(iterations = 4)
    @Measurement(iterations = 6)
    public BundleBuilder.Result build() throws IOException, BundleException {
        return workload.build(buildOut);
    }

    /** Opens the bundle: checks the signature, the manifest and every blob's hash, takes the whole-file digest. */
    @Benchmark
    public String verify() throws IOException, BundleException {
        try (VerifiedBundle b = BundleReader.open(workload.bundle(), workload.publicKey())) {
            return b.megabinarySha256();
        }
    }

    /** The baseline: SHA-256 of the bundle file, read through a FileChannel in 64 KiB chunks. */
    @Benchmark
    public byte[] sha256File() throws IOException {
        MessageDigest sha = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(workload.bundle(), StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) sha.update(buf.array(), 0, buf.position());
        }
        return sha.digest();
    }

    /** Pure hashing speed: SHA-256 of the bundle's bytes already in memory. */
    @Benchmark
    public byte[] sha256Memory() {
        return Sha256.digest(bundleBytes);
    }
}
