package dev.nojit.engine;

/** A global variable; instances that import the same global share this object. */
public final class Global {
    private final ValType type;
    private final boolean mutable;
    long value;

    public Global(ValType type, boolean mutable, long value) {
        this.type = type;
        this.mutable = mutable;
        this.value = Values.normalize(type, value);
    }

    public ValType type() { return type; }
    public boolean mutable() { return mutable; }
    public long get() { return value; }

    public void set(long v) {
        if (!mutable) throw new IllegalStateException("global is immutable");
        value = Values.normalize(type, v);
    }

    Global copy() {
        return new Global(type, mutable, value);
    }
}
