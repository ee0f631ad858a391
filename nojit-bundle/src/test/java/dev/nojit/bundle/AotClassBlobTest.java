package dev.nojit.bundle;

import dev.nojit.bundle.testing.AotTestClasses;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AOT class blob codec: what it writes, and every malformed blob it refuses before reading past its end. */
class AotClassBlobTest {
    static final String MODULE = "0123456789abcdef".repeat(4);
    static final String NAME = AotClassBlob.PACKAGE + ".M0123456789abcdef_0";
    static final byte[] CLASS = AotTestClasses.entry(NAME, 2);

    @Test
    void theLayoutIsAsDocumented() throws Exception {
        byte[] blob = AotClassBlob.encode(MODULE, NAME, CLASS);
        ByteBuffer b = ByteBuffer.wrap(blob);
        byte[] magic = new byte[20];
        b.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("nojit-aot-class-v1\r\n");
        byte[] sha = new byte[32];
        b.get(sha);
        assertThat(java.util.HexFormat.of().formatHex(sha)).isEqualTo(MODULE);
        int n = b.getShort() & 0xffff;
        byte[] name = new byte[n];
        b.get(name);
        assertThat(new String(name, StandardCharsets.US_ASCII)).isEqualTo(NAME);
        assertThat(b.getInt()).isEqualTo(CLASS.length);
        assertThat(Arrays.copyOfRange(blob, b.position(), blob.length)).isEqualTo(CLASS);

        AotClassBlob.Decoded d = AotClassBlob.decode(blob);
        assertThat(d.header()).isEqualTo(new AotClassBlob.Header(MODULE, NAME));
        assertThat(d.header().isEntry()).isTrue();
        assertThat(d.classFile()).isEqualTo(CLASS);
        assertThat(AotClassBlob.header(Arrays.copyOf(blob, AotClassBlob.MAX_HEADER))).isEqualTo(d.header());
    }

    @Test
    void everyTruncationAndEveryExtraByteIsRefused() throws Exception {
        byte[] blob = AotClassBlob.encode(MODULE, NAME, CLASS);
        for (int len = 0; len < blob.length; len++) {
            byte[] cut = Arrays.copyOf(blob, len);
            assertThatThrownBy(() -> AotClassBlob.decode(cut)).as("cut to %d", len).isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("AOT class blob (nojit-aot-class-v1) ");
        }
        assertThatThrownBy(() -> AotClassBlob.decode(Arrays.copyOf(blob, blob.length + 1)))
                .hasMessageContaining("declares " + CLASS.length + " bytes but " + (CLASS.length + 1) + " follow");
    }

    @Test
    void headerFieldsAreChecked() throws Exception {
        byte[] blob = AotClassBlob.encode(MODULE, NAME, CLASS);
        byte[] magic = blob.clone();
        magic[0] = 'N';
        assertThatThrownBy(() -> AotClassBlob.decode(magic)).hasMessageContaining("does not start with \"nojit-aot-class-v1\"");
        byte[] otherModule = blob.clone();
        otherModule[20] ^= 0x10; // the first hex digit of the module hash no longer matches the name's
        assertThatThrownBy(() -> AotClassBlob.decode(otherModule)).hasMessageContaining("is not a generated name for module");
        byte[] longName = blob.clone();
        longName[52] = 0x7f;
        assertThatThrownBy(() -> AotClassBlob.decode(longName)).hasMessageContaining("class name length " + (0x7f00 | NAME.length()) + " is not 1..128");
        byte[] zeroName = blob.clone();
        zeroName[52] = 0;
        zeroName[53] = 0;
        assertThatThrownBy(() -> AotClassBlob.decode(zeroName)).hasMessageContaining("class name length 0");
        byte[] hugeClass = blob.clone();
        int at = 54 + NAME.length();
        hugeClass[at] = (byte) 0xff;
        assertThatThrownBy(() -> AotClassBlob.decode(hugeClass)).hasMessageContaining("declares " + (0xff000000L | CLASS.length) + " bytes but " + CLASS.length + " follow");
        byte[] notAClass = blob.clone();
        notAClass[at + 4] = 0;
        assertThatThrownBy(() -> AotClassBlob.decode(notAClass)).hasMessageContaining("is not a class file (no 0xCAFEBABE)");
    }

    @Test
    void onlyGeneratedNamesOfTheModuleAreWritten() {
        assertThat(AotClassBlob.isClassNameFor(NAME, MODULE)).isTrue();
        assertThat(AotClassBlob.isClassNameFor(AotClassBlob.PACKAGE + ".M0123456789abcdef_12", MODULE)).isTrue();
        for (String bad : new String[] {"dev.nojit.vkernel.Kernel", AotClassBlob.PACKAGE + ".M0123456789abcdee_0",
                AotClassBlob.PACKAGE + ".M0123456789abcdef_01", AotClassBlob.PACKAGE + ".M0123456789abcdef_", AotClassBlob.PACKAGE
                + ".sub.M0123456789abcdef_0", "java.lang.M0123456789abcdef_0", AotClassBlob.PACKAGE + ".M0123456789ABCDEF_0"}) {
            assertThat(AotClassBlob.isClassNameFor(bad, MODULE)).as(bad).isFalse();
            assertThatThrownBy(() -> AotClassBlob.encode(MODULE, bad, CLASS)).as(bad).hasMessageContaining("is not a generated name");
        }
        assertThatThrownBy(() -> AotClassBlob.encode(MODULE, NAME, new byte[] {1, 2, 3, 4})).hasMessageContaining("is not a class file");
    }

    @Test
    void generatedCodeLinksOnlyAgainstItsModuleTheEnginesAotInterfaceAndBasicJdkClasses() throws Exception {
        String sibling = AotClassBlob.PACKAGE + ".M0123456789abcdef_1";
        // what the translator's classes use passes, and the generated classes named are reported
        AotClassBlob.Decoded d = AotClassBlob.decode(AotClassBlob.encode(MODULE, NAME, AotTestClasses.calling(NAME, sibling, "value")));
        assertThat(d.references()).containsExactly(sibling);
        assertThat(AotClassLinks.check(NAME, AotTestClasses.calling(NAME, "dev.nojit.engine.AotOps", "unreachable"))).isEmpty();
        assertThat(AotClassLinks.check(NAME, AotTestClasses.loading(NAME, java.lang.constant.ClassDesc.of("java.lang.Math").arrayType()))).isEmpty();
        assertThat(AotClassLinks.check(NAME, AotTestClasses.loading(NAME, java.lang.constant.ConstantDescs.CD_long.arrayType(2)))).isEmpty();

        Object[][] refused = {
                {AotTestClasses.calling(NAME, "java.lang.System", "gc"), "names java/lang/System, which generated code may not use"},
                {AotTestClasses.calling(NAME, "dev.nojit.vkernel.Kernel", "x"), "names dev/nojit/vkernel/Kernel"},
                {AotTestClasses.calling(NAME, "dev.nojit.engine.Machine", "x"), "names dev/nojit/engine/Machine"},
                {AotTestClasses.loading(NAME, java.lang.constant.ClassDesc.of("java.lang.Class")), "names java/lang/Class"},
                {AotTestClasses.loading(NAME, java.lang.constant.ClassDesc.of("java.lang.Runtime").arrayType()), "names java/lang/Runtime"},
                {AotTestClasses.calling(NAME, AotClassBlob.PACKAGE + ".Mfedcba9876543210_1", "x"), "names dev/nojit/aot/generated/Mfedcba9876543210_1"},
                {AotTestClasses.loading(NAME, java.lang.constant.MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_void)), "holds a method type constant"},
                {AotTestClasses.loading(NAME, java.lang.constant.ConstantDescs.BSM_INVOKE), "holds a method handle constant"},
                {AotTestClasses.entry(AotClassBlob.PACKAGE + ".M0123456789abcdef_5", 1), "declares another class than its blob's header names"}};
        for (Object[] r : refused) {
            byte[] classFile = (byte[]) r[0];
            assertThatThrownBy(() -> AotClassBlob.encode(MODULE, NAME, classFile)).as((String) r[1])
                    .hasMessageStartingWith("AOT class " + NAME + " " + r[1]);
        }
        // a class file cut short inside its constant pool
        byte[] whole = AotTestClasses.entry(NAME, 1);
        assertThatThrownBy(() -> AotClassLinks.check(NAME, Arrays.copyOf(whole, 40))).hasMessage("AOT class " + NAME + " is not a well-formed class file (EOFException)");
    }
}
