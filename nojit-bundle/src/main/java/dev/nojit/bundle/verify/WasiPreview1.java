package dev.nojit.bundle.verify;

import com.dylibso.chicory.wasm.types.FunctionType;

import java.util.Map;
import java.util.Optional;

/**
 * The functions of WASI preview 1 ({@code wasi_snapshot_preview1}) with their core
 * WebAssembly signatures, from the preview 1 interface definition. An import from this
 * module must name one of them with exactly its signature.
 */
final class WasiPreview1 {
    static final String MODULE = "wasi_snapshot_preview1";

    private static final Map<String, Signature> FUNCTIONS = Map.ofEntries(
            fn("args_get", "ii>i"), fn("args_sizes_get", "ii>i"),
            fn("environ_get", "ii>i"), fn("environ_sizes_get", "ii>i"),
            fn("clock_res_get", "ii>i"), fn("clock_time_get", "iIi>i"),
            fn("fd_advise", "iIIi>i"), fn("fd_allocate", "iII>i"), fn("fd_close", "i>i"), fn("fd_datasync", "i>i"),
            fn("fd_fdstat_get", "ii>i"), fn("fd_fdstat_set_flags", "ii>i"), fn("fd_fdstat_set_rights", "iII>i"),
            fn("fd_filestat_get", "ii>i"), fn("fd_filestat_set_size", "iI>i"), fn("fd_filestat_set_times", "iIIi>i"),
            fn("fd_pread", "iiiIi>i"), fn("fd_prestat_get", "ii>i"), fn("fd_prestat_dir_name", "iii>i"),
            fn("fd_pwrite", "iiiIi>i"), fn("fd_read", "iiii>i"), fn("fd_readdir", "iiiIi>i"), fn("fd_renumber", "ii>i"),
            fn("fd_seek", "iIii>i"), fn("fd_sync", "i>i"), fn("fd_tell", "ii>i"), fn("fd_write", "iiii>i"),
            fn("path_create_directory", "iii>i"), fn("path_filestat_get", "iiiii>i"),
            fn("path_filestat_set_times", "iiiiIIi>i"), fn("path_link", "iiiiiii>i"), fn("path_open", "iiiiiIIii>i"),
            fn("path_readlink", "iiiiii>i"), fn("path_remove_directory", "iii>i"), fn("path_rename", "iiiiii>i"),
            fn("path_symlink", "iiiii>i"), fn("path_unlink_file", "iii>i"),
            fn("poll_oneoff", "iiii>i"), fn("proc_exit", "i>"), fn("proc_raise", "i>i"), fn("sched_yield", ">i"),
            fn("random_get", "ii>i"),
            fn("sock_accept", "iii>i"), fn("sock_recv", "iiiiii>i"), fn("sock_send", "iiiii>i"), fn("sock_shutdown", "ii>i"));

    private WasiPreview1() {}

    /** Why this import is refused, or empty if it is a WASI preview 1 function with its signature. */
    static Optional<String> check(String name, FunctionType type) {
        Signature expected = FUNCTIONS.get(name);
        if (expected == null) return Optional.of("is not a WASI preview 1 function");
        if (!expected.matches(type)) {
            return Optional.of("has signature " + Signature.describe(type) + ", WASI preview 1 defines " + expected);
        }
        return Optional.empty();
    }

    private static Map.Entry<String, Signature> fn(String name, String sig) {
        return Map.entry(name, Signature.parse(sig));
    }
}
