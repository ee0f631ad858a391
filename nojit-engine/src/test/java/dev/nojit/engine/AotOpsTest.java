package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * AotOps, the helpers of AOT-translated code: the byte-by-byte accesses it uses when the JVM runs without its JIT
 * read and write exactly what Memory's VarHandle views do (which it uses otherwise), and its bounds checks trap
 * as the interpreter's do, with the effective address in the message.
 */
class AotOpsTest {
    @Test
    void byteAssembledAccessesMatchTheViews() {
        Random r = new Random(20261208);
        byte[] m = new byte[64];
        for (int i = 0; i < 1000; i++) {
            int ea = r.nextInt(m.length - 3);
            int v = r.nextInt();
            AotOps.putInt32(m, ea, v);
            assertThat((int) Memory.I32.get(m, ea)).isEqualTo(v);
            Memory.I32.set(m, ea, ~v);
            assertThat(AotOps.int32(m, ea)).isEqualTo(~v);
        }
    }

    @Test
    void outOfBoundsAccessesTrapLikeTheInterpreter() {
        byte[] m = new byte[65536];
        assertThat(AotOps.i32Load(65532, m, 0)).isZero();
        assertThatThrownBy(() -> AotOps.i32Load(65533, m, 0)).isInstanceOf(Trap.class)
                .hasMessage("out of bounds memory access at 65533");
        assertThatThrownBy(() -> AotOps.i64Store(-1, 0, m, 1)).isInstanceOf(Trap.class)
                .hasMessage("out of bounds memory access at 4294967296");
        assertThatThrownBy(() -> AotOps.i32Load8U(0, m, -1)).isInstanceOf(Trap.class)
                .hasMessage("out of bounds memory access at 4294967295");
    }
}
