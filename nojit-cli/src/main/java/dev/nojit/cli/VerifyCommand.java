package dev.nojit.cli;

import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks a bundle's signature with the given public key and every blob's hash; prints the megabinary and manifest digests.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP.nojit", description = "The bundle to verify.")
    Path bundle;

    @Option(names = "--pubkey", required = true, paramLabel = "KEY.pub", description = "The publisher's Ed25519 public key (SPKI PEM).")
    Path pubkey;

    @Override
    public Integer call() throws Exception {
        PublicKey key = Ed25519Keys.readPublic(pubkey);
        try (VerifiedBundle b = BundleReader.open(bundle, key)) {
            var w = spec.commandLine().getOut();
            w.println("verified:   " + bundle + " (" + b.manifest().entries().size() + " entries, "
                    + b.manifest().blobs().size() + " blobs, every hash checked)");
            w.println("megabinary: sha256:" + b.megabinarySha256());
            w.println("manifest:   sha256:" + b.manifestSha256());
            w.println("signed by:  keyid " + Ed25519Keys.keyId(key));
        }
        return ExitCodes.OK;
    }
}
