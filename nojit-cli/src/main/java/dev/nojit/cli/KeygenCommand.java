package dev.nojit.cli;

import dev.nojit.bundle.keys.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Writes a new Ed25519 signing key: KEY (PKCS#8 PEM, mode 0600) and KEY.pub (SPKI PEM). Never overwrites.")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "KEY", description = "Private key file to create; the public key goes to KEY.pub.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, out);
        var w = spec.commandLine().getOut();
        w.println("private key: " + out + " (mode 0600)");
        w.println("public key:  " + Ed25519Keys.publicKeyPath(out));
        w.println("keyid:       " + Ed25519Keys.keyId(pair.getPublic()));
        return ExitCodes.OK;
    }
}
