package dev.nojit.cli;

/** {@code --color WHEN}: colour on a terminal only (auto), always, or never. */
enum ColorMode {
    auto, always, never;

    boolean enabled() {
        return switch (this) {
            case always -> true;
            case never -> false;
            case auto -> {
                var console = System.console();
                yield console != null && console.isTerminal();
            }
        };
    }
}
