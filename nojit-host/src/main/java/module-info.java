/**
 * nojit's only code that calls the kernel directly (FFM downcalls: seccomp, Landlock, prctl, and the
 * descriptor-relative file calls of host mounts, {@code dev.nojit.host.files}).
 * It is a named module so that native access can be granted to it alone
 * ({@code --enable-native-access=dev.nojit.host} with {@code --illegal-native-access=deny}):
 * every other class of the shim and the vkernel — the class path, one unnamed module — is
 * refused a native downcall. See {@link dev.nojit.host.spawn.HostModule}.
 */
module dev.nojit.host {
    exports dev.nojit.host;
    exports dev.nojit.host.files;
    exports dev.nojit.host.landlock;
    exports dev.nojit.host.seccomp;
    exports dev.nojit.host.spawn;
}
