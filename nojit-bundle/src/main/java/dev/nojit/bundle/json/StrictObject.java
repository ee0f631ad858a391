package dev.nojit.bundle.json;

import dev.nojit.bundle.BundleException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one JSON object of a signed document field by field, with the exact type each field
 * must have, and refuses members it was not asked for (a signed document carries nothing
 * its reader ignores). Errors name the field by its path, e.g. {@code predicate.files[3].mode}.
 */
public final class StrictObject {
    private final JsonNode node;
    private final String where;
    private final String context;
    private final Set<String> read = new HashSet<>();

    private StrictObject(JsonNode node, String where, String context) {
        this.node = node;
        this.where = where;
        this.context = context;
    }

    /** @param context what document this is, for messages ("manifest", "envelope") */
    public static StrictObject of(JsonNode node, String where, String context) throws BundleException {
        if (node == null || !node.isObject()) throw new BundleException(context + ": " + label(where) + " must be a JSON object");
        return new StrictObject(node, where, context);
    }

    public String string(String key) throws BundleException {
        JsonNode v = required(key);
        if (!v.isString()) throw wrongType(key, "a string");
        return v.stringValue();
    }

    public boolean bool(String key) throws BundleException {
        JsonNode v = required(key);
        if (!v.isBoolean()) throw wrongType(key, "true or false");
        return v.booleanValue();
    }

    /** A member of any type, for a field that may take more than one (the caller checks which). */
    public JsonNode value(String key) throws BundleException {
        return required(key);
    }

    /** The names of this object's members, in document order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    public Optional<String> optionalString(String key) throws BundleException {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    public long integer(String key) throws BundleException {
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(key, "an integer");
        return v.longValue();
    }

    public StrictObject object(String key) throws BundleException {
        return of(required(key), path(key), context);
    }

    public List<JsonNode> array(String key) throws BundleException {
        JsonNode v = required(key);
        if (!v.isArray()) throw wrongType(key, "an array");
        List<JsonNode> items = new ArrayList<>(v.size());
        v.forEach(items::add);
        return items;
    }

    public List<String> stringArray(String key) throws BundleException {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = array(key);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isString()) throw new BundleException(context + ": " + path(key) + "[" + i + "] must be a string");
            out.add(items.get(i).stringValue());
        }
        return out;
    }

    public boolean has(String key) {
        return node.has(key);
    }

    /** The path of a member, for nested messages. */
    public String path(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    /** Refuses any member that was not read. Call after reading every known field. */
    public void noOtherMembers() throws BundleException {
        for (String name : node.propertyNames()) {
            if (!read.contains(name)) throw new BundleException(context + ": unknown member '" + path(name) + "'");
        }
    }

    /** An error about this object as a whole: {@code context: where: problem}. */
    public BundleException invalidObject(String problem) {
        return new BundleException(context + ": " + label(where) + ": " + problem);
    }

    public BundleException invalid(String key, String problem) {
        return new BundleException(context + ": " + path(key) + " " + problem);
    }

    private JsonNode required(String key) throws BundleException {
        read.add(key);
        JsonNode v = node.get(key);
        if (v == null) throw new BundleException(context + ": " + path(key) + " is missing");
        return v;
    }

    private BundleException wrongType(String key, String type) {
        return new BundleException(context + ": " + path(key) + " must be " + type);
    }

    private static String label(String where) {
        return where.isEmpty() ? "the document" : where;
    }
}
