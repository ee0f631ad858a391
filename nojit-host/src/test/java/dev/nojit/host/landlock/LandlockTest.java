package dev.nojit.host.landlock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LandlockTest {
    @TempDir
    Path tmp;

    @Test
    void thisKernelReportsAnAbiAndStrictAcceptsIt() {
        LandlockProbe p = Landlock.probe();
        System.out.println("probe: " + p.describe());
        assertThat(p.available()).as(p.describe()).isTrue();
        assertThat(p.require(Landlock.STRICT_MIN_ABI)).isEmpty();
        assertThat(p.require(p.abi() + 1)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("ABI " + (p.abi() + 1) + " or newer").contains("found: Landlock ABI " + p.abi());
    }

    @Test
    void anAbsentLandlockIsNamedWithItsErrno() {
        assertThat(new LandlockProbe(0, LandlockProbe.ENOSYS).require(1)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("ABI 0").contains("ENOSYS");
        assertThat(new LandlockProbe(0, LandlockProbe.EOPNOTSUPP).describe()).contains("disabled");
    }

    @Test
    void aRuleOnAFileKeepsOnlyFileRights() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThat(PathRule.readWrite(f).rights()).containsExactlyInAnyOrder(Access.READ_FILE, Access.WRITE_FILE, Access.TRUNCATE);
        assertThat(PathRule.readWrite(tmp).rights()).contains(Access.READ_DIR, Access.MAKE_REG).doesNotContain(Access.EXECUTE);
    }

    @Test
    void masksDropRightsTheAbiDoesNotKnow() {
        assertThat(Access.allKnown(1)).isEqualTo((1L << 13) - 1);
        assertThat(Access.allKnown(3)).isEqualTo((1L << 15) - 1);
        assertThat(Access.allKnown(5)).isEqualTo((1L << 16) - 1);
        assertThat(Access.mask(Set.of(Access.TRUNCATE, Access.READ_FILE), 2)).isEqualTo(1L << 2);
    }

    @Test
    void theTextFormIsSortedAndTheHashFollowsIt() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a")), b = Files.createDirectory(tmp.resolve("b"));
        LandlockRules one = new LandlockRules(List.of(PathRule.readWrite(b), PathRule.read(a)));
        LandlockRules same = new LandlockRules(List.of(PathRule.read(a), PathRule.readWrite(b)));
        LandlockRules other = new LandlockRules(List.of(PathRule.read(a), PathRule.read(b)));
        assertThat(one.describe()).isEqualTo("READ_FILE,READ_DIR " + a + "\n"
                + "WRITE_FILE,READ_FILE,READ_DIR,REMOVE_DIR,REMOVE_FILE,MAKE_DIR,MAKE_REG,MAKE_SYM,REFER,TRUNCATE " + b + "\n");
        assertThat(one.sha256()).isEqualTo(same.sha256()).hasSize(64).isNotEqualTo(other.sha256());
        assertThat(new LandlockApplied(7, 0xffff, 3, 3, one).describe())
                .startsWith("landlock abi=7 handled_fs=0xffff handled_net=0x3 scoped=0x3\n").endsWith(one.describe());
    }
}
