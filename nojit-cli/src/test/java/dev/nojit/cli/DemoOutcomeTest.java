package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's verdict fails whenever the story did not happen as the seed tells it. */
class DemoOutcomeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OUTPUT = List.of("summary of /srv/data/report.txt", "== done");

    static ObjectNode event(long seq, String type, String target, int severity) {
        ObjectNode e = JSON.createObjectNode();
        e.put("seq", seq);
        e.put("type", type);
        e.put("action", severity == 4 ? "kill-process" : "allowed");
        e.put("severity_id", severity);
        if (target != null) e.putObject("target").put("path", target).put("sha256", "a".repeat(64));
        return e;
    }

    static List<ObjectNode> asTold() {
        List<ObjectNode> events = new ArrayList<>();
        events.add(event(1, "container_start", null, 1));
        events.add(event(2, "exec", "/bin/sh", 1));
        events.add(event(3, "exec_denied", "/tmp/payload", 4));
        events.add(event(4, "exec_denied", "/tmp/evil.sh", 4));
        events.add(event(5, "exec_denied", "/tmp/evil-lib.sh", 4));
        events.add(event(6, "container_stop", null, 1));
        return events;
    }

    @Test
    void theStoryAsToldPasses() {
        assertThat(DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, OUTPUT, asTold()).allAsExpected()).isTrue();
    }

    @Test
    void anAttackThatWasNotRefusedFails() {
        List<ObjectNode> events = asTold();
        events.remove(2);
        DemoOutcome o = DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, OUTPUT, events);
        assertThat(o.allAsExpected()).isFalse();
        assertThat(o.rows()).filteredOn(r -> !r.ok()).singleElement().satisfies(r -> assertThat(r.step()).contains("/tmp/payload"));
    }

    @Test
    void aSourcedScriptThatWasNotRefusedFails() {
        List<ObjectNode> events = asTold();
        events.remove(4);
        DemoOutcome o = DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, OUTPUT, events);
        assertThat(o.rows()).filteredOn(r -> !r.ok()).singleElement().satisfies(r -> assertThat(r.step()).contains("/tmp/evil-lib.sh"));
    }

    @Test
    void anUnexpectedViolationFails() {
        List<ObjectNode> events = asTold();
        events.add(4, event(5, "memory_exec_denied", null, 4));
        assertThat(DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, OUTPUT, events).rows()).filteredOn(r -> !r.ok()).singleElement()
                .satisfies(r -> assertThat(r.step()).isEqualTo("anything else refused"));
    }

    @Test
    void missingUsefulWorkOrAFailedRunFails() {
        assertThat(DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, List.of("== done"), asTold()).allAsExpected()).isFalse();
        assertThat(DemoOutcome.judge(ExampleBundle.SHELL_TASK, 137, OUTPUT, asTold()).allAsExpected()).isFalse();
    }

    @Test
    void thePythonTaskNeedsItsOwnThreeRefusals() {
        List<ObjectNode> events = asTold();
        assertThat(DemoOutcome.judge(ExampleBundle.PYTHON_TASK, 0, OUTPUT, events).rows()).filteredOn(r -> !r.ok())
                .extracting(DemoOutcome.Row::step)
                .containsExactly("import a written module /tmp/evil_mod.py", "anything else refused");
        events.set(4, event(5, "exec_denied", "/tmp/evil_mod.py", 4));
        assertThat(DemoOutcome.judge(ExampleBundle.PYTHON_TASK, 0, OUTPUT, events).allAsExpected()).isTrue();
    }

    @Test
    void aRefusalRecordedTwiceIsNotTheStory() {
        List<ObjectNode> events = asTold();
        events.add(4, event(5, "exec_denied", "/tmp/payload", 4));
        assertThat(DemoOutcome.judge(ExampleBundle.SHELL_TASK, 0, OUTPUT, events).allAsExpected()).isFalse();
    }
}
