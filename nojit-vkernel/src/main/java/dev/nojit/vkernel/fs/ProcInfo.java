package dev.nojit.vkernel.fs;

import java.util.Map;

/** What /proc shows of a process. */
public interface ProcInfo {
    int pid();

    /** Container path of the running executable. */
    String exePath();

    FdTable fdTable();

    /** The environment as WALI's env file: one NAME=VALUE per line. */
    byte[] envFile();

    /** argv, NUL-separated (/proc/PID/cmdline). */
    byte[] cmdline();

    /** Looks up processes of the same container. */
    interface Directory {
        ProcInfo current();

        ProcInfo byPid(int pid);

        Map<Integer, ? extends ProcInfo> all();

        /** Whether opening /proc/PID/mem for writing is a violation (always, outside a mutation test). */
        default boolean memWriteCheck() {
            return true;
        }
    }
}
