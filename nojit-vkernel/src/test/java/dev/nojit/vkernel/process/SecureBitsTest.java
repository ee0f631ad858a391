package dev.nojit.vkernel.process;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PR_SET_SECUREBITS's rules, case by case, as security/commoncap.c applies them to a caller with
 * CAP_SETPCAP (the container's root); wali-execcheck (ExecCheckTest) shows them through prctl.
 */
class SecureBitsTest {
    private static void refused(int current, long requested) {
        assertThatThrownBy(() -> SecureBits.change(current, requested)).as("0x%x -> 0x%x", current, requested)
                .isInstanceOfSatisfying(SyscallError.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    }

    @Test
    void theExecBitsHaveLinux614sValues() {
        assertThat(SecureBits.EXEC_RESTRICT_FILE).isEqualTo(0x100);
        assertThat(SecureBits.EXEC_DENY_INTERACTIVE).isEqualTo(0x400);
        assertThat(SecureBits.MANIFEST_ONLY).isEqualTo(0xf00);
    }

    @Test
    void unlockedSettingsChangeFreely() {
        assertThat(SecureBits.change(0, 0x500)).isEqualTo(0x500);
        assertThat(SecureBits.change(0x500, 0)).isZero();
        assertThat(SecureBits.change(0, 0xfff)).isEqualTo(0xfff);
        assertThat(SecureBits.change(0, 0)).isZero();
    }

    @Test
    void aLockedSettingKeepsItsValueEvenWhenItIsClear() {
        int lockedClear = 0x200; // SECBIT_EXEC_RESTRICT_FILE_LOCKED alone: the setting is locked off
        refused(lockedClear, 0x300);
        assertThat(SecureBits.change(lockedClear, 0x200 | 0x400)).isEqualTo(0x600); // other settings still change
    }

    @Test
    void locksNeverOpenAndTheManifestOnlyBitsStay() {
        refused(SecureBits.MANIFEST_ONLY, 0);
        refused(SecureBits.MANIFEST_ONLY, 0xa00); // the locks kept, the settings cleared
        refused(SecureBits.MANIFEST_ONLY, 0x500); // the settings kept, the locks cleared
        assertThat(SecureBits.change(SecureBits.MANIFEST_ONLY, SecureBits.MANIFEST_ONLY)).isEqualTo(0xf00);
        assertThat(SecureBits.change(SecureBits.MANIFEST_ONLY, 0xf00 | SecureBits.KEEP_CAPS)).isEqualTo(0xf10);
    }

    @Test
    void bitsThatAreNoSettingOrLockAreRefusedAtFullWidth() {
        refused(0, 0x1000);
        refused(0, 1L << 32);
        refused(0, -1L);
    }

    @Test
    void execveClearsOnlyKeepCaps() {
        assertThat(SecureBits.afterExec(0xf10 | SecureBits.NOROOT)).isEqualTo(0xf01);
    }
}
