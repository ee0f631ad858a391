package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The serialized image round-trips exactly, and bad bytes are refused with a checked exception. */
class ImageCodecTest {
    private static final String MODULE = """
            (module
              (import "env" "f" (func $f (param i32) (result i32)))
              (import "env" "g" (global i32))
              (import "env" "t" (table 1 10 funcref))
              (memory (export "mem") 1 4)
              (global $h (export "h") (mut i64) (i64.const -5))
              (table $own 3 externref)
              (elem (i32.const 0) $sq)
              (elem $passive funcref (ref.func $sq) (ref.null func))
              (data (i32.const 8) "hello")
              (data $later "later")
              (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "mix") (param f64) (result f64 i32) (local externref)
                (f64.mul (local.get 0) (f64.const 2.5)) (call $f (i32.const 3)))
              (start $init)
              (func $init (global.set $h (i64.const 9))))
            """;

    @Test
    void serializeThenDeserializeGivesTheSameBytes() throws Exception {
        byte[] bytes = Wat.image(MODULE).serialize();
        ModuleImage again = ModuleImage.deserialize(bytes);
        assertThat(again.serialize()).isEqualTo(bytes);
        assertThat(again.imports()).hasSize(3);
        assertThat(again.exports()).extracting(ExportSpec::name).contains("mem", "h", "sq", "mix");
    }

    @Test
    void anImageOfAnOlderInstructionSetIsRefused() {
        // version 1 numbered the out-of-line opcodes differently (before MOVS, BR_LOOP and the xor fusions): such an
        // image, from a bundle built before, must be refused, never run with its opcodes misread
        byte[] bytes = Wat.image(MODULE).serialize();
        assertThat(Arrays.copyOfRange(bytes, 4, 8)).containsExactly(0, 0, 0, 2);
        bytes[7] = 1;
        assertThatThrownBy(() -> ModuleImage.deserialize(bytes)).isInstanceOf(InvalidModuleException.class)
                .hasMessage("unsupported pre-decoded image version 1");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] bytes = Wat.image(MODULE).serialize();
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> ModuleImage.deserialize(cut)).as("length %d", len).isInstanceOf(InvalidModuleException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> ModuleImage.deserialize(longer)).isInstanceOf(InvalidModuleException.class);
    }

    @Test
    void corruptedBytesNeverEscapeAsUncheckedFailures() {
        byte[] bytes = Wat.image(MODULE).serialize();
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = bytes.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            try {
                ModuleImage.deserialize(bad);
            } catch (InvalidModuleException expected) {
                // refused: fine
            }
        }
    }
}
