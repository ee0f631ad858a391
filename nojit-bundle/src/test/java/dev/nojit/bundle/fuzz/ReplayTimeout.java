package dev.nojit.bundle.fuzz;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * The hang guard of a fuzz target in regression mode (plain {@code mvn test}): an input that runs
 * longer than {@link #LIMIT} fails its test instead of hanging the build.
 *
 * <p>In fuzzing mode it does nothing. There the whole fuzzing run is one JUnit invocation, so a
 * JUnit {@code @Timeout} would time the run, not an input (jazzer 0.30.0 still applies it as
 * well as passing it to libFuzzer, jazzer issue #930); the per-input guard is libFuzzer's own
 * {@code -timeout}, and the run is bounded by {@code @FuzzTest(maxDuration)}. See docs/fuzzing.md.
 */
final class ReplayTimeout implements InvocationInterceptor {
    static final Duration LIMIT = Duration.ofSeconds(30);

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        if (fuzzing()) {
            invocation.proceed();
            return;
        }
        Assertions.assertTimeoutPreemptively(LIMIT, invocation::proceed,
                () -> extensionContext.getDisplayName() + " ran longer than " + LIMIT.toSeconds() + " s: a hang?");
    }

    /** Jazzer's own rule: JAZZER_FUZZ (environment variable or system property) is 1, true or yes. */
    private static boolean fuzzing() {
        return isTrue(System.getenv("JAZZER_FUZZ")) || isTrue(System.getProperty("JAZZER_FUZZ"));
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
