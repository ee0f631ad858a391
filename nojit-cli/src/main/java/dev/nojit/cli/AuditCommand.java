package dev.nojit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nojit audit show|verify}: the audit log of a run, for people and for checks (docs/audit.md). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Shows or verifies an audit log (JSON Lines, hash-chained; see docs/audit.md).",
        subcommands = {AuditShowCommand.class, AuditVerifyCommand.class, CommandLine.HelpCommand.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: show or verify");
    }
}
