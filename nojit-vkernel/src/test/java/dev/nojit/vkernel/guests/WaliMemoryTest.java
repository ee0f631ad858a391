package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** Mappings beyond wali-memory (guests/src/wali/wali-mmap.c), and the container-wide memory limit. */
class WaliMemoryTest extends WaliImageTest {
    private static Run mmap() {
        return image.once("mmap", () -> image.run(KernelConfig.defaults().withMemoryLimit(256L << 20), "wali-mmap"));
    }

    @Test
    void everyMappingCheckPasses() {
        assertAllPassed(mmap());
    }

    @Test
    void remapFixedMappingsFileMappingsAndFork() {
        assertThat(mmap().out()).contains("ok mremap shrinks in place", "ok MAP_FIXED maps at the address asked for",
                "ok MAP_FIXED over a mapping gives fresh zeros",
                "ok mmap of length 0: EINVAL", "ok a private mapping at offset 4096, zero past the end of the file",
                "ok writes to a private mapping do not reach the file", "ok msync writes a shared mapping back",
                "ok munmap writes a shared mapping back",
                "ok a child sees its copy of a mapping, the parent keeps its own",
                "ok brk past the limit fails: the break stays", "ok memory.grow past the limit: -1");
    }

    @Test
    void mremapMovesToAFixedAddress() {
        assertThat(mmap().out()).contains("ok mremap moves to a fixed address");
    }

    @Test
    void theMemoryLimitIsSharedByAllProcessesOfTheContainer() {
        Run r = image.run(KernelConfig.defaults().withMemoryLimit(96L << 20), "wali-mmap", "share", "96");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the parent maps half the limit", "ok the child's mappings end with ENOMEM",
                "ok parent and child together stay below the container limit", "ok memory freed by the child is available again");
    }
}
