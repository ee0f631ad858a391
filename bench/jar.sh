# Sourced by bench/run, bench/engine and bench/vkernel: builds bench/target/benchmarks.jar (JMH,
# the engine and vkernel benchmarks and everything they use) when it is missing or older than
# any source it is built from; NOJIT_BENCH_REBUILD=1 forces a rebuild.
# Defines $bench_jar and $JAVA_HOME (JDK 25).

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_root=$(dirname "$bench_dir")
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
bench_jar="$bench_dir/target/benchmarks.jar"

bench_jar_stale() {
    [[ ! -f $bench_jar ]] && return 0
    [[ -n $(find "$bench_dir/src" "$bench_dir/pom.xml" "$bench_root/pom.xml" \
        "$bench_root/nojit-bundle/pom.xml" "$bench_root/nojit-bundle/src/main" \
        "$bench_root/nojit-engine/pom.xml" "$bench_root/nojit-engine/src/main" \
        "$bench_root/nojit-aot/pom.xml" "$bench_root/nojit-aot/src/main" \
        "$bench_root/nojit-vkernel/pom.xml" "$bench_root/nojit-vkernel/src/main" \
        "$bench_root/nojit-audit/pom.xml" "$bench_root/nojit-audit/src/main" \
        -newer "$bench_jar" -print -quit 2>/dev/null) ]]
}

bench_jar_ensure() {
    if [[ ${NOJIT_BENCH_REBUILD:-0} == 1 ]] || bench_jar_stale; then
        echo "# building $bench_jar" >&2
        (cd "$bench_root" && mvn -q -B -pl bench -am package -DskipTests)
    fi
}

# Prints "# source: git REV; jar built DATE" for the report; $@ are the paths whose edits count.
bench_source_line() {
    local rev
    if rev=$(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null); then
        [[ -n $(git -C "$bench_root" status --porcelain -- "$@" 2>/dev/null) ]] && rev="$rev + uncommitted changes"
        echo "# source: git $rev; jar built $(date -u -r "$bench_jar" '+%Y-%m-%d %H:%M UTC')"
    fi
}
