package dev.nojit.bundle.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The words of a manifest, as a fuzzing dictionary (used only in fuzzing mode). */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@DictionaryEntries({
    "\"_type\":", "\"https://in-toto.io/Statement/v1\"", "\"predicateType\":", "\"https://nojit.dev/manifest/v1\"",
    "\"subject\":", "\"predicate\":", "\"builder\":", "\"name\":", "\"version\":", "\"created\":",
    "\"2026-01-02T03:04:05Z\"", "\"policy\":", "\"exec\":", "\"manifest-only\"", "\"scripts\":",
    "\"via-interpreter\"", "\"memory\":", "\"deny-exec\"", "\"onViolation\":", "\"kill-process\"",
    "\"kill-container\"", "\"engine\":", "\"interpreter\"", "\"files\":", "\"path\":", "\"kind\":",
    "\"directory\"", "\"data\"", "\"script\"", "\"executable\"", "\"mode\":", "\"0755\"", "\"0644\"",
    "\"sha256\":", "\"size\":", "\"digest\":", "\"interpreter\":", "\"module\":", "\"personalities\":",
    "\"wali\"", "\"wasi_snapshot_preview1\"", "\"predecoded\":", "\"format\":", "\"nojit-image-v1\"",
    "\"compat\":", "\"lenient-call-indirect\"",
    "\"interpreters\":", "\"inlineCode\":", "\"stdinCode\":", "\"interactive\":", "\"takesArgument\":",
    "\"scriptFile\":", "\"flags\":", "\"optionArgument\":", "\"next\"", "\"attached-or-next\"", "\"plusOptions\":",
    "\"singleDashLongOptions\":", "\"dash\":", "\"stdin\"", "\"end-of-options\"", "\"loginArgv0\":", "\"codeVariables\":",
    "true", "false", "\"-c\"", "\"--rcfile\"",
    "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""})
@interface ManifestDictionary {}
