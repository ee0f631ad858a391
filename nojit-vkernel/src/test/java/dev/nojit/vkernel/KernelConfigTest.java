package dev.nojit.vkernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory limit and the vkernel's heap follow each other, not the host's RAM. */
class KernelConfigTest {
    @Test
    void theHeapForALimitGivesBackThatLimit() {
        for (long mib : new long[]{16, 100, 512, 1024, 2048}) {
            long limit = mib << 20;
            assertThat(KernelConfig.memoryLimitForHeap(KernelConfig.heapFor(limit))).as("%d MiB", mib).isEqualTo(limit);
        }
    }

    @Test
    void aBigHostHeapStillGivesAtMostTwoGibAndTheVkernelHeapStaysNearTwiceTheLimit() {
        long hostHeap = 16L << 30; // a quarter of a 64 GiB host: the JVM's default
        long limit = KernelConfig.memoryLimitForHeap(hostHeap);
        assertThat(limit).isEqualTo(2L << 30);
        assertThat(KernelConfig.heapFor(limit)).isEqualTo((4L << 30) + KernelConfig.HEAP_RESERVE).isLessThan(hostHeap);
    }

    @Test
    void aSmallHeapGivesASmallLimitNeverBelowSixteenMib() {
        assertThat(KernelConfig.memoryLimitForHeap(512L << 20)).isEqualTo(128L << 20);
        assertThat(KernelConfig.memoryLimitForHeap(64L << 20)).isEqualTo(16L << 20);
    }
}
