package dev.nojit.audit.wire;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The vkernel → shim event message: one line of JSON per event, before the shim seals it into
 * the chain.
 *
 * <pre>{@code
 * {"durable": true, "event": {"type": "exec_denied", "action": "kill-process", "reason": "...",
 *   "process": {"pid": 2, "ppid": 1, "exe": "/bin/x", "exe_sha256": "<hex>", "argv": ["x"]},
 *   "syscall": {"name": "execve", "nr": 59, "args": {...}}, "target": {"path": "/tmp/x", "sha256": "<hex>"},
 *   "details": {...}}}
 * }</pre>
 *
 * Members that are null are left out. The shim answers a durable message with {@code {"seq": N}}
 * once the event is fsynced, or {@code {"error": "..."}}; a non-durable one gets no answer. The
 * shim treats the vkernel as untrusted: {@link #decode} bounds the line and the nesting and
 * refuses anything that is not this shape.
 */
public final class EventWire {
    /** The longest message line (the audit log's own line limit). */
    public static final int MAX_LINE = 1 << 20;
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(MAX_LINE).build())
            .build()).build();

    private EventWire() {}

    /**
     * One decoded message: an event, or (the vkernel's first message) its lockdown report — what it
     * installed on itself, e.g. {@code {"seccomp": {"installed": true, "sha256": "<hex>", "instructions": 103}}} —
     * which the shim checks and states in the attestation before the log is opened.
     */
    public record Message(AuditEvent event, boolean durable, Map<String, Object> report) {
        public boolean isReport() {
            return report != null;
        }
    }

    /** The lockdown report line (always durable: the vkernel waits for the shim to take it). */
    public static byte[] encodeReport(Map<String, Object> report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("durable", true);
        root.set("report", JSON.valueToTree(report));
        byte[] json = JSON.writeValueAsBytes(root);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    public static byte[] encode(AuditEvent e, boolean durable) {
        ObjectNode root = JSON.createObjectNode();
        root.put("durable", durable);
        ObjectNode ev = root.putObject("event");
        ev.put("type", e.type().json());
        ev.put("action", e.action().json());
        if (e.reason() != null) ev.put("reason", e.reason());
        if (e.process() != null) {
            ObjectNode p = ev.putObject("process");
            p.put("pid", e.process().pid());
            p.put("ppid", e.process().ppid());
            if (e.process().exe() != null) p.put("exe", e.process().exe());
            if (e.process().exeSha256() != null) p.put("exe_sha256", e.process().exeSha256());
            ArrayNode argv = p.putArray("argv");
            e.process().argv().forEach(argv::add);
        }
        if (e.syscall() != null) {
            ObjectNode s = ev.putObject("syscall");
            s.put("name", e.syscall().name());
            s.put("nr", e.syscall().nr());
            s.set("args", JSON.valueToTree(e.syscall().args()));
        }
        if (e.target() != null) {
            ObjectNode t = ev.putObject("target");
            if (e.target().path() != null) t.put("path", e.target().path());
            if (e.target().sha256() != null) t.put("sha256", e.target().sha256());
        }
        if (!e.details().isEmpty()) ev.set("details", JSON.valueToTree(e.details()));
        byte[] json = JSON.writeValueAsBytes(root);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /** Decodes one message line (without its newline); {@link WireException} naming what is wrong. */
    public static Message decode(byte[] line) {
        if (line.length > MAX_LINE) throw new WireException("message longer than " + MAX_LINE + " bytes");
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new WireException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new WireException("not a JSON object");
        only(root, "message", "durable", "event", "report");
        JsonNode durable = root.get("durable");
        if (durable == null || !durable.isBoolean()) throw new WireException("durable: expected true or false");
        JsonNode report = object(root, "report", false);
        if (report != null) {
            if (root.has("event")) throw new WireException("a message is an event or a report, not both");
            return new Message(null, true, map(report, "report"));
        }
        JsonNode ev = object(root, "event", true);
        only(ev, "event", "type", "action", "reason", "process", "syscall", "target", "details");
        Type type = enumValue(Type.class, text(ev, "type", true), "type");
        Action action = enumValue(Action.class, text(ev, "action", true).replace('-', '_'), "action");
        ProcessRef process = null;
        JsonNode p = object(ev, "process", false);
        if (p != null) {
            only(p, "process", "pid", "ppid", "exe", "exe_sha256", "argv");
            List<String> argv = new ArrayList<>();
            JsonNode a = p.get("argv");
            if (a == null || !a.isArray()) throw new WireException("process.argv: expected an array");
            for (JsonNode x : a) {
                if (!x.isString()) throw new WireException("process.argv: expected strings");
                argv.add(x.stringValue());
            }
            process = new ProcessRef(integer(p, "pid"), integer(p, "ppid"), text(p, "exe", false), text(p, "exe_sha256", false), argv);
        }
        SyscallRef syscall = null;
        JsonNode s = object(ev, "syscall", false);
        if (s != null) {
            only(s, "syscall", "name", "nr", "args");
            syscall = new SyscallRef(text(s, "name", true), integer(s, "nr"), map(object(s, "args", true), "syscall.args"));
        }
        TargetRef target = null;
        JsonNode t = object(ev, "target", false);
        if (t != null) {
            only(t, "target", "path", "sha256");
            target = new TargetRef(text(t, "path", false), text(t, "sha256", false));
        }
        JsonNode d = object(ev, "details", false);
        Map<String, Object> details = d == null ? Map.of() : map(d, "details");
        return new Message(new AuditEvent(type, process, syscall, target, action, text(ev, "reason", false), details),
                durable.booleanValue(), null);
    }

    /** The shim's answer to a durable message. */
    public static byte[] ack(long seq) {
        return ("{\"seq\":" + seq + "}\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] refusal(String why) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", why);
        return (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The seq of an ack, or AuditException-worthy WireException with the shim's reason. */
    public static long readAck(byte[] line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new WireException("bad answer from the audit log's holder");
        }
        if (o != null && o.has("seq") && o.get("seq").canConvertToLong()) return o.get("seq").longValue();
        String why = o != null && o.has("error") ? o.get("error").asString() : "bad answer";
        throw new WireException("the audit log refused the event: " + why);
    }

    private static void only(JsonNode o, String where, String... names) {
        List<String> allowed = List.of(names);
        for (String n : o.propertyNames()) {
            if (!allowed.contains(n)) throw new WireException(where + ": unknown member '" + n + "'");
        }
    }

    private static JsonNode object(JsonNode o, String name, boolean required) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            if (required) throw new WireException(name + ": missing");
            return null;
        }
        if (!v.isObject()) throw new WireException(name + ": expected an object");
        return v;
    }

    private static String text(JsonNode o, String name, boolean required) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            if (required) throw new WireException(name + ": missing");
            return null;
        }
        if (!v.isString()) throw new WireException(name + ": expected a string");
        return v.stringValue();
    }

    private static int integer(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) throw new WireException(name + ": expected an integer");
        return v.intValue();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String name) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WireException(name + ": unknown value '" + value + "'");
        }
    }

    /** A JSON object as the event model's plain values: Long, Double, String, Boolean, List, Map. */
    private static Map<String, Object> map(JsonNode o, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) out.put(e.getKey(), plain(e.getValue(), where));
        return out;
    }

    private static Object plain(JsonNode v, String where) {
        if (v.isString()) return v.stringValue();
        if (v.isBoolean()) return v.booleanValue();
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) throw new WireException(where + ": integer out of range");
            return v.longValue();
        }
        if (v.isNumber()) return v.doubleValue();
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode x : v) out.add(plain(x, where));
            return out;
        }
        if (v.isObject()) return map(v, where);
        throw new WireException(where + ": null or unsupported value");
    }
}
