package dev.nojit.host;

/**
 * Child of {@link ProcessGuardsTest}: sets up {@link ProcessGuards#haltWhenOrphaned}, says
 * "watching", then waits; if it is still running 30 s later it says "survived" and exits 0.
 */
public final class OrphanProbeMain {
    private OrphanProbeMain() {}

    public static void main(String[] args) throws InterruptedException {
        ProcessGuards.haltWhenOrphaned(42);
        System.out.println("watching");
        System.out.flush();
        Thread.sleep(30_000);
        System.out.println("survived");
        System.out.flush();
    }
}
