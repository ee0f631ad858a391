package dev.nojit.cli;

import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.json.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints a bundle's manifest: files, kinds, hashes, policy (with interpreter specs). Checks the archive and every blob hash, but not the signature: use verify for that.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP.nojit", description = "The bundle to inspect.")
    Path bundle;

    @Option(names = "--json", description = "Print the manifest statement as JSON (indented).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BundleReader.Unverified u = BundleReader.readUnverified(bundle);
        var w = spec.commandLine().getOut();
        if (json) {
            var tree = CanonicalJson.mapper().readTree(u.payload());
            w.println(CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        } else {
            w.println("bundle:     " + bundle);
            w.println("megabinary: sha256:" + u.megabinarySha256());
            w.println("manifest:   sha256:" + u.manifestSha256() + " (" + u.signatures() + " signature(s), not checked)");
            ManifestTable.print(w, u.manifest());
        }
        spec.commandLine().getErr().println("note: the signature was not checked; run 'nojit verify "
                + bundle + " --pubkey KEY.pub' to know who signed it");
        return ExitCodes.OK;
    }
}
