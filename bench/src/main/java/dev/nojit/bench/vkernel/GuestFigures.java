package dev.nojit.bench.vkernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark guest printed: lines "NAME V1 V2 ...", decimal integers (nanoseconds or
 * bytes; see bench/vkernel-guests/wali.h). Anything else in the output is an error, so a guest that
 * prints garbage cannot pass for one that measured.
 */
record GuestFigures(Map<String, long[]> values) {
    static GuestFigures parse(String output) {
        Map<String, long[]> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split(" +");
            if (f.length < 2) throw new IllegalArgumentException("figure line without values: " + line);
            long[] v = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                try {
                    v[i - 1] = Long.parseLong(f[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a figure line: " + line);
                }
            }
            if (values.put(f[0], v) != null) throw new IllegalArgumentException("figure " + f[0] + " printed twice");
        }
        return new GuestFigures(values);
    }

    /** All values of NAME; a missing figure is an error. */
    long[] all(String name) {
        long[] v = values.get(name);
        if (v == null) throw new IllegalArgumentException("the guest printed no " + name + " (it printed " + values.keySet() + ")");
        return v.clone();
    }

    /** The one value of NAME. */
    long one(String name) {
        long[] v = all(name);
        if (v.length != 1) throw new IllegalArgumentException(name + " has " + v.length + " values, expected one: " + Arrays.toString(v));
        return v[0];
    }
}
