package dev.nojit.vkernel.guests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test class that runs guests of the one signed WALI test image ({@link WaliImage}), built once per class. */
abstract class WaliImageTest {
    @TempDir
    static Path dir;
    static WaliImage image;

    @BeforeAll
    static void buildImage() throws Exception {
        image = WaliImage.build(dir);
    }
}
