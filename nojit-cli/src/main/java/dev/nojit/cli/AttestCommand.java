package dev.nojit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nojit attest verify}: the signed statements of a run (docs/attestation.md). */
@Command(name = "attest", mixinStandardHelpOptions = true,
        description = "Checks a run's attestation (DSSE-signed in-toto statements; see docs/attestation.md).",
        subcommands = {AttestVerifyCommand.class, CommandLine.HelpCommand.class})
final class AttestCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify");
    }
}
