package dev.nojit.bench.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AOT columns' plumbing: translate, blobs written and read back, classes defined by the vkernel's loader. */
class AotClassesTest {
    /** (module (func (export "run") (result i64) i64.const 42)) */
    private static final byte[] RUN_42 = {
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7e,
            0x03, 0x02, 0x01, 0x00,
            0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00,
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x2a, 0x0b};

    @Test
    void translatedClassesRunAfterARoundTripThroughTheirBlobs(@TempDir Path dir) throws Exception {
        AotClasses classes = AotClasses.translate(RUN_42);
        assertThat(classes.compiled()).isEqualTo(1);
        assertThat(classes.defined()).isEqualTo(1);
        assertThat(classes.huge()).isZero();
        classes.write(dir);
        AotClasses back = AotClasses.read(dir);
        assertThat(back.moduleSha256()).isEqualTo(classes.moduleSha256());
        assertThat(back.blobs()).hasSameSizeAs(classes.blobs());
        assertThat(back.compiled()).isEqualTo(1);
        assertThat(AotEngine.instantiate(RUN_42, back).call()).isEqualTo(42);
        assertThat(new AotEngine(classes).instantiate(RUN_42).call()).isEqualTo(42);
    }

    @Test
    void classesOfAnotherModuleAreRefused() throws Exception {
        AotClasses classes = AotClasses.translate(RUN_42);
        byte[] other = RUN_42.clone();
        other[other.length - 2] = 43;
        assertThatThrownBy(() -> AotEngine.instantiate(other, classes)).hasMessageContaining("another module");
    }
}
