package dev.nojit.cli;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditReader;
import dev.nojit.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nojit audit show FILE}: one row per event, streamed (any size of log), then the chain's
 * verdict. Colour only when stdout is a terminal (or {@code --color always}): violations red,
 * allowed actions green.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Prints an audit log as a table: seq, time, type, pid, executable, action, what (syscall and target), reason; "
                + "then whether the chain is intact (as 'nojit audit verify' checks it).",
                "Exit status: 0 chain intact, 1 chain broken (the table is still printed) or the file unreadable."})
final class AuditShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The audit log (JSON Lines).")
    Path file;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the rows: auto (when stdout is a terminal), always, never. Default: ${DEFAULT-VALUE}.")
    ColorMode color;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AuditTable table = new AuditTable(out, color.enabled());
        AuditVerifier verifier = new AuditVerifier();
        try (AuditReader reader = AuditReader.open(file)) {
            table.header();
            for (AuditReader.Line line = reader.next(); line != null; line = reader.next()) {
                ObjectNode event = verifier.check(line);
                if (event != null) table.row(event);
                else table.unreadable(line.number());
            }
        } catch (AuditException e) {
            out.flush();
            spec.commandLine().getErr().println("nojit audit show: " + Nojit.oneLine(e.getMessage()));
            return ExitCodes.CHECK_FAILED;
        }
        AuditVerifier.Verification v = verifier.result();
        if (v.intact()) {
            out.println(v.events() + " events; chain intact, last hash " + v.lastHash());
            return ExitCodes.OK;
        }
        out.println(table.red("chain BROKEN: " + AuditTable.clean(v.problem())));
        return ExitCodes.CHECK_FAILED;
    }
}
