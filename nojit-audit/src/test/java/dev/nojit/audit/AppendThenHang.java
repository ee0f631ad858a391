package dev.nojit.audit;

import java.nio.file.Path;

/**
 * The child JVM of {@link DurabilityTest}: opens a log, appends three ordinary events and one
 * durable violation, says "appended" and waits to be killed. Never closes the log: whatever the
 * file holds after SIGKILL is what append itself put there.
 */
public final class AppendThenHang {
    public static void main(String[] args) throws Exception {
        AuditLog log = AuditLog.create(Path.of(args[0]), SampleEvents.CONTAINER, SampleEvents.GENESIS);
        log.append(SampleEvents.start(), false);
        log.append(SampleEvents.exec(1), false);
        log.append(SampleEvents.exec(2), false);
        log.append(SampleEvents.execDenied(2), true);
        System.out.println("appended " + log.head());
        System.out.flush();
        Thread.sleep(120_000);
        log.close();
    }
}
