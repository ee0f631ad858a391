package dev.nojit.cli;

import dev.nojit.audit.budget.AuditBudget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the vkernel needs to run one container, handed from the shim to the vkernel process
 * as a JSON file in the shim's private directory (mode 0600):
 *
 * <pre>{@code
 * {"bundle": "/abs/app.nojit", "pubkey": "/private/dir/pubkey.pem",          // a copy of the publisher key
 *  "megabinary_sha256": "<hex>", "manifest_sha256": "<hex>",   // what the shim verified: the vkernel checks the signature and the manifest digest again
 *  "container_id": "<16 hex>", "audit_socket": "/private/dir/audit.sock",
 *  "mounts": [{"path": "/data", "host": "/abs/dir", "ro": false}], "env": ["K=V"], "workdir": "/",
 *  "timeout_ms": 30000,                                          // or absent
 *  "path": "/bin/x", "args": ["a"],
 *  "lockdown": "strict",                                         // or "off": no seccomp filter in the vkernel
 *  "audit_budget": "256k,256"}                                   // bytes and events per second (AuditBudget.parse)
 * }</pre>
 */
record RunSpec(Path bundle, Path pubkey, String megabinarySha256, String manifestSha256, String containerId,
               Path auditSocket, List<MountSpec> mounts, List<String> env, String workdir, Duration timeout,
               String path, List<String> args, boolean strict, AuditBudget auditBudget) {
    record MountSpec(String path, Path host, boolean readOnly) {}

    /** The project's strict mapper (one mapper per JVM: each costs start-up time to build). */
    private static final JsonMapper JSON = dev.nojit.bundle.json.CanonicalJson.mapper();

    void write(Path file) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("bundle", bundle.toString());
        o.put("pubkey", pubkey.toString());
        o.put("megabinary_sha256", megabinarySha256);
        o.put("manifest_sha256", manifestSha256);
        o.put("container_id", containerId);
        o.put("audit_socket", auditSocket.toString());
        ArrayNode m = o.putArray("mounts");
        for (MountSpec ms : mounts) m.addObject().put("path", ms.path()).put("host", ms.host().toString()).put("ro", ms.readOnly());
        ArrayNode e = o.putArray("env");
        env.forEach(e::add);
        o.put("workdir", workdir);
        if (timeout != null) o.put("timeout_ms", timeout.toMillis());
        o.put("path", path);
        ArrayNode a = o.putArray("args");
        args.forEach(a::add);
        o.put("lockdown", strict ? "strict" : "off");
        o.put("audit_budget", auditBudget.spec());
        Files.write(file, JSON.writeValueAsBytes(o));
    }

    /**
     * The spec at {@code file} once the shim has put it there (a vkernel is started before its spec
     * exists: VkernelProcess.Early): waits, polling, at most {@code limit}. The shim renames a complete
     * file into place, so what is there is whole.
     */
    static RunSpec await(Path file, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; !Files.exists(file); i++) {
            if (System.nanoTime() - deadline > 0) throw new IOException("no run spec within " + limit.toSeconds() + " s: " + file);
            Thread.sleep(i < 2000 ? 1 : 10);
        }
        return read(file);
    }

    static RunSpec read(Path file) throws IOException {
        JsonNode o = JSON.readTree(Files.readAllBytes(file));
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonNode m : o.get("mounts")) mounts.add(new MountSpec(m.get("path").asString(), Path.of(m.get("host").asString()), m.get("ro").asBoolean()));
        return new RunSpec(Path.of(o.get("bundle").asString()), Path.of(o.get("pubkey").asString()), o.get("megabinary_sha256").asString(),
                o.get("manifest_sha256").asString(), o.get("container_id").asString(), Path.of(o.get("audit_socket").asString()),
                mounts, strings(o.get("env")), o.get("workdir").asString(),
                o.has("timeout_ms") ? Duration.ofMillis(o.get("timeout_ms").asLong()) : null,
                o.get("path").asString(), strings(o.get("args")), "strict".equals(o.get("lockdown").asString()),
                AuditBudget.parse(o.get("audit_budget").asString()));
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asString());
        return out;
    }
}
