/*
 * sqlite-driver: real work for SQLite under the vkernel, with output that a native build of
 * the same program must reproduce byte for byte.
 *
 *   sqlite-driver DB create   creates table t, inserts 10,000 rows in one transaction,
 *                             builds an index, runs the queries below
 *   sqlite-driver DB query    reopens DB and runs the queries again (proves the file persisted)
 *
 * DB is a file name or a "file:" URI.
 *
 * Every query's rows are printed as "name: v1|v2|..." lines (a query plan as "plan: detail");
 * the exit status is 0 only when every statement succeeded.
 */
#include <stdio.h>
#include <string.h>
#include "sqlite3.h"

static const char *current;

static int print_row(void *unused, int n, char **values, char **names) {
    (void)unused;
    (void)names;
    printf("%s:", current);
    for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : " ", values[i] ? values[i] : "NULL");
    printf("\n");
    return 0;
}

static int run(sqlite3 *db, const char *name, const char *sql) {
    char *error = NULL;
    current = name;
    if (sqlite3_exec(db, sql, print_row, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "sqlite-driver: %s: %s\n", name, error ? error : "error");
        sqlite3_free(error);
        return 1;
    }
    return 0;
}

/* EXPLAIN QUERY PLAN rows are id|parent|notused|detail; only the detail says which index is used. */
static int print_plan(void *unused, int n, char **values, char **names) {
    (void)unused;
    (void)names;
    printf("%s: %s\n", current, n >= 4 && values[3] ? values[3] : "NULL");
    return 0;
}

static int explain(sqlite3 *db, const char *name, const char *sql) {
    char *error = NULL;
    current = name;
    if (sqlite3_exec(db, sql, print_plan, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "sqlite-driver: %s: %s\n", name, error ? error : "error");
        sqlite3_free(error);
        return 1;
    }
    return 0;
}

static int create(sqlite3 *db) {
    int failed = run(db, "schema",
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, grp INTEGER, score REAL);");
    failed |= run(db, "begin", "BEGIN;");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(id, name, grp, score) VALUES(?1, ?2, ?3, ?4);", -1, &insert, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite-driver: prepare: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    char name[32];
    for (int i = 1; i <= 10000; i++) {
        snprintf(name, sizeof name, "row-%05d-%x", i, (unsigned)(i * 2654435761u) >> 20);
        sqlite3_bind_int(insert, 1, i);
        sqlite3_bind_text(insert, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(insert, 3, i % 17);
        sqlite3_bind_double(insert, 4, (i * 37 % 1000) / 8.0);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            fprintf(stderr, "sqlite-driver: insert %d: %s\n", i, sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    failed |= run(db, "commit", "COMMIT;");
    failed |= run(db, "index", "CREATE INDEX t_name ON t(name);");
    return failed;
}

/* An indexed lookup: the plan printed after it shows that SQLite searched t_name. */
#define LOOKUP "SELECT id, grp FROM t WHERE name = (SELECT name FROM t WHERE id = 7777);"

static int query(sqlite3 *db) {
    int failed = 0;
    failed |= run(db, "count", "SELECT count(*), sum(id), total(score) FROM t;");
    failed |= run(db, "groups", "SELECT grp, count(*), round(avg(score), 3), min(name) FROM t GROUP BY grp ORDER BY grp;");
    failed |= run(db, "top", "SELECT id, name, score FROM t ORDER BY score DESC, id ASC LIMIT 5;");
    failed |= run(db, "lookup", LOOKUP);
    failed |= run(db, "range", "SELECT count(*), min(id), max(id) FROM t WHERE name > 'row-09990';");
    failed |= explain(db, "plan", "EXPLAIN QUERY PLAN " LOOKUP);
    failed |= run(db, "text", "SELECT upper(substr(name, 1, 3)) || length(name), typeof(score) FROM t WHERE id IN (1, 5000, 10000) ORDER BY id;");
    failed |= run(db, "integrity", "PRAGMA integrity_check;");
    return failed;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[2], "create") && strcmp(argv[2], "query"))) {
        fprintf(stderr, "usage: sqlite-driver DB create|query\n");
        return 2;
    }
    sqlite3 *db;
    /* DB may be a URI, e.g. file:/ro/x.db?immutable=1 for a file on a read-only mount. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(argv[1], &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite-driver: open %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    int failed = !strcmp(argv[2], "create") ? create(db) : 0;
    failed |= query(db);
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "sqlite-driver: close: %s\n", sqlite3_errmsg(db));
        failed = 1;
    }
    printf("version: %s\n", sqlite3_libversion());
    return failed;
}
