/*
 * nsh: nojit's small shell, a WALI guest without libc, good enough for agent scripts.
 *
 *   nsh [-e] FILE [ARG...]        runs the script FILE ($0 = FILE, $1... = ARGs)
 *   nsh [-e] -c STRING [NAME [ARG...]]   runs STRING ($0 = NAME)
 *   nsh [-e] [-s] [ARG...]        reads the script from stdin
 *
 * One command line per line: simple commands with words ('...', "...", backslash, $VAR,
 * ${VAR}, $?, $#, $$, $0-$9), NAME=value assignments, redirections (< > >> N< N> N>> N>&M),
 * pipelines (|), lists (; && ||), # comments. Builtins: cd echo exit export pwd set true false :.
 * Other commands run by fork + execve, looked up in $PATH (default /bin:/usr/bin). The grammar,
 * and what is not supported (control structures, globbing, field splitting, $(...), &), is in
 * docs/nsh.md; unsupported syntax is an error, never silently something else.
 *
 * Every buffer has a fixed size, checked: a line over MAX_LINE bytes, a word over MAX_WORD,
 * more than MAX_ARGS words or MAX_STAGES commands in a pipeline is an error, not an overflow.
 * Exit status: that of the last command; 2 for a syntax error or bad usage (the shell stops).
 */
#include "wali.h"

enum { MAX_LINE = 4096, MAX_TOKENS = 256, MAX_WORD = 4096, MAX_ARGS = 128, MAX_REDIRS = 16,
       MAX_STAGES = 16, MAX_VARS = 256, MAX_PATH = 4096, MAX_SCRIPT = 1 << 20, ARENA_SIZE = 1 << 17 };

/* ---- diagnostics: "nsh: A: B" on stderr, composed in a bounded buffer ---- */

static const char *script_name = "nsh";
static long line_no;

static void eput(char *buf, size_t *n, size_t cap, const char *s) {
    while (*s && *n < cap) buf[(*n)++] = *s++;
}
static void diag(const char *a, const char *b, const char *c) {
    char buf[1024];
    size_t n = 0, cap = sizeof buf - 1;
    eput(buf, &n, cap, "nsh: ");
    eput(buf, &n, cap, a);
    if (b) { eput(buf, &n, cap, ": "); eput(buf, &n, cap, b); }
    if (c) { eput(buf, &n, cap, ": "); eput(buf, &n, cap, c); }
    buf[n++] = '\n';
    flush();
    sys_write(2, buf, n);
}
/* A syntax error names the script and line, as "nsh: FILE: line N: what". */
static void syntax(const char *what) {
    char where[32];
    fmt_to(where, "line ", line_no, "");
    diag(script_name, where, what);
}

static const char *strerror(i64 e) {
    switch ((int)-e) {
    case EPERM: return "Operation not permitted";
    case ENOENT: return "No such file or directory";
    case EACCES: return "Permission denied";
    case ENOEXEC: return "Exec format error";
    case ENOTDIR: return "Not a directory";
    case EISDIR: return "Is a directory";
    case E2BIG: return "Argument list too long";
    case ENOMEM: return "Cannot allocate memory";
    case EAGAIN: return "Resource temporarily unavailable";
    case EMFILE: return "Too many open files";
    case ENAMETOOLONG: return "File name too long";
    case ELOOP: return "Too many levels of symbolic links";
    case EEXIST: return "File exists";
    case EROFS: return "Read-only file system";
    case ENOSPC: return "No space left on device";
    case EBADF: return "Bad file descriptor";
    case EINVAL: return "Invalid argument";
    case EFAULT: return "Bad address";
    default: return "Error";
    }
}

/* ---- variables ---- */

struct var { char *name; char *value; size_t cap; int exported; };
static struct var vars[MAX_VARS];
static int nvars;
static int last_status, errexit;
static char **params; /* $0, $1, ... */
static int nparams;

static int is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
/* Length of the NAME at the start of s (0 if none). */
static size_t name_len(const char *s) {
    if (!is_name_start(*s)) return 0;
    size_t n = 1;
    while (is_name_char(s[n])) n++;
    return n;
}

static struct var *lookup(const char *name, size_t len) {
    for (int i = 0; i < nvars; i++)
        if (strlen(vars[i].name) == len && memeq(vars[i].name, name, len)) return &vars[i];
    return 0;
}
/* Sets NAME (len bytes) to value; 0, or -1 with a message when the table or memory is full. */
static int set_var(const char *name, size_t len, const char *value, int export) {
    struct var *v = lookup(name, len);
    if (!v) {
        if (nvars == MAX_VARS) { diag(script_name, "too many variables", 0); return -1; }
        char *copy = alloc(len + 1);
        if (!copy) { diag(script_name, strerror(-ENOMEM), 0); return -1; }
        __builtin_memcpy(copy, name, len);
        copy[len] = 0;
        v = &vars[nvars++];
        v->name = copy; v->value = 0; v->cap = 0; v->exported = 0;
    }
    if (value) {
        size_t n = strlen(value);
        if (n + 1 > v->cap) {
            size_t cap = n + 1 < 32 ? 32 : n + 1;
            char *b = alloc(cap);
            if (!b) { diag(script_name, strerror(-ENOMEM), 0); return -1; }
            v->value = b; v->cap = cap;
        }
        __builtin_memcpy(v->value, value, n + 1);
    }
    if (export) v->exported = 1;
    return 0;
}

/* ---- the arena: expanded words of the pipeline being run, reset before each ---- */

static char arena[ARENA_SIZE];
static size_t arena_used;
static char *arena_copy(const char *s, size_t n) {
    if (n + 1 > sizeof arena - arena_used) return 0;
    char *p = arena + arena_used;
    __builtin_memcpy(p, s, n);
    p[n] = 0;
    arena_used += n + 1;
    return p;
}

/* ---- lexing: a line into tokens; words stay raw (quotes and $ kept) until run ---- */

enum { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_IN, T_OUT, T_APPEND, T_DUP };
struct token { int kind; int fd; int dupfd; char *text; };
static struct token toks[MAX_TOKENS];
static char raw[MAX_LINE + MAX_TOKENS + 1]; /* raw words, NUL-terminated; at most the line's bytes plus a NUL each */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int is_special(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '`'; }

/* Reads a one-digit descriptor number at line[*i]; -1 if there is none (or it has more digits). */
static int one_digit(const char *line, size_t len, size_t *i) {
    if (*i < len && line[*i] >= '0' && line[*i] <= '9' && !(*i + 1 < len && line[*i + 1] >= '0' && line[*i + 1] <= '9'))
        return line[(*i)++] - '0';
    return -1;
}

/* Tokens of one line; the count, or -1 after a syntax message. */
static int lex(const char *line, size_t len) {
    int n = 0;
    size_t i = 0, used = 0;
    for (;;) {
        while (i < len && is_blank(line[i])) i++;
        if (i >= len || line[i] == '#') return n;
        if (n == MAX_TOKENS) { syntax("too many words"); return -1; }
        struct token *t = &toks[n];
        t->fd = -1; t->dupfd = -1; t->text = 0;
        char c = line[i];
        /* N> N< N>> N>&M: a single digit right before the operator */
        size_t d = i;
        while (d < len && line[d] >= '0' && line[d] <= '9') d++;
        if (d > i && d < len && (line[d] == '<' || line[d] == '>')) {
            if (d - i > 1) { syntax("descriptor numbers above 9 are not supported"); return -1; }
            t->fd = c - '0';
            i = d;
            c = line[i];
        }
        if (c == '|') {
            t->kind = i + 1 < len && line[i + 1] == '|' ? T_OR : T_PIPE;
            i += t->kind == T_OR ? 2 : 1;
        } else if (c == '&') {
            if (!(i + 1 < len && line[i + 1] == '&')) { syntax("background jobs (&) are not supported"); return -1; }
            t->kind = T_AND; i += 2;
        } else if (c == ';') {
            t->kind = T_SEMI; i++;
        } else if (c == '<') {
            if (i + 1 < len && (line[i + 1] == '<' || line[i + 1] == '&' || line[i + 1] == '>')) { syntax("<<, <& and <> are not supported"); return -1; }
            t->kind = T_IN; if (t->fd < 0) t->fd = 0; i++;
        } else if (c == '>') {
            if (t->fd < 0) t->fd = 1;
            if (i + 1 < len && line[i + 1] == '>') { t->kind = T_APPEND; i += 2; }
            else if (i + 1 < len && line[i + 1] == '&') {
                i += 2;
                t->kind = T_DUP;
                t->dupfd = one_digit(line, len, &i);
                if (t->dupfd < 0 || (i < len && !is_blank(line[i]) && !is_special(line[i]))) { syntax(">& needs one descriptor digit (like 2>&1)"); return -1; }
            } else if (i + 1 < len && line[i + 1] == '|') { syntax(">| is not supported"); return -1; }
            else { t->kind = T_OUT; i++; }
        } else if (c == '(' || c == ')' || c == '`') {
            syntax("subshells, ( ) and ` ` are not supported");
            return -1;
        } else {
            size_t start = i;
            while (i < len && !is_blank(line[i]) && !is_special(line[i])) {
                char q = line[i];
                if (q == '\\') { i += i + 1 < len ? 2 : 1; continue; }
                if (q == '$' && i + 1 < len && line[i + 1] == '(') { syntax("$(...) is not supported"); return -1; }
                if (q == '\'') {
                    i++;
                    while (i < len && line[i] != '\'') i++;
                    if (i >= len) { syntax("unterminated '"); return -1; }
                    i++;
                    continue;
                }
                if (q == '"') {
                    i++;
                    while (i < len && line[i] != '"') {
                        if (line[i] == '\\' && i + 1 < len) { i += 2; continue; }
                        if (line[i] == '`' || (line[i] == '$' && i + 1 < len && line[i + 1] == '(')) { syntax("$(...) and ` ` are not supported"); return -1; }
                        i++;
                    }
                    if (i >= len) { syntax("unterminated \""); return -1; }
                    i++;
                    continue;
                }
                i++;
            }
            size_t wl = i - start;
            if (used + wl + 1 > sizeof raw) { syntax("line too long"); return -1; }
            t->kind = T_WORD;
            t->text = raw + used;
            __builtin_memcpy(t->text, line + start, wl);
            t->text[wl] = 0;
            used += wl + 1;
        }
        n++;
    }
}

/* ---- expansion of one raw word: quotes removed, $ expanded; no splitting, no globbing ---- */

static char word[MAX_WORD];

/* Appends s (n bytes) at *len; 0, or -1 when the word would pass MAX_WORD. */
static int wput(size_t *len, const char *s, size_t n) {
    if (n >= sizeof word - *len) return -1;
    __builtin_memcpy(word + *len, s, n);
    *len += n;
    return 0;
}

/* Expands the $ form at raw[*i] (raw[*i] == '$'). */
static int dollar(const char *r, size_t *i, size_t *len) {
    size_t j = *i + 1;
    char num[24];
    if (r[j] == '?') { fmt_to(num, "", last_status, ""); *i = j + 1; return wput(len, num, strlen(num)); }
    if (r[j] == '#') { fmt_to(num, "", nparams > 0 ? nparams - 1 : 0, ""); *i = j + 1; return wput(len, num, strlen(num)); }
    if (r[j] == '$') { fmt_to(num, "", sys_getpid(), ""); *i = j + 1; return wput(len, num, strlen(num)); }
    if (r[j] >= '0' && r[j] <= '9') {
        int k = r[j] - '0';
        *i = j + 1;
        return k < nparams ? wput(len, params[k], strlen(params[k])) : 0;
    }
    const char *name = r + j;
    size_t nl;
    if (r[j] == '{') {
        name = r + j + 1;
        nl = name_len(name);
        if (nl == 0 || name[nl] != '}') { syntax("bad ${...}: only ${NAME} is supported"); return -2; }
        *i = j + 1 + nl + 1;
    } else {
        nl = name_len(name);
        if (nl == 0) { *i = j; return wput(len, "$", 1); } /* a lone $ is itself */
        *i = j + nl;
    }
    struct var *v = lookup(name, nl);
    return v && v->value ? wput(len, v->value, strlen(v->value)) : 0;
}

/*
 * Expands raw into the arena. Returns the word, or 0 with *dropped set when it was unquoted and
 * expanded to nothing (the word disappears, as in sh), or 0 with *dropped clear on error.
 */
static char *expand(const char *r, int *dropped) {
    size_t len = 0, i = 0;
    int quoted = 0, rc = 0;
    *dropped = 0;
    while (r[i] && rc == 0) {
        char c = r[i];
        if (c == '\\') {
            quoted = 1;
            if (r[i + 1]) { rc = wput(&len, r + i + 1, 1); i += 2; } else { rc = wput(&len, "\\", 1); i++; }
        } else if (c == '\'') {
            quoted = 1;
            size_t s = ++i;
            while (r[i] != '\'') i++;
            rc = wput(&len, r + s, i - s);
            i++;
        } else if (c == '"') {
            quoted = 1;
            i++;
            while (r[i] != '"' && rc == 0) {
                if (r[i] == '\\' && (r[i + 1] == '$' || r[i + 1] == '"' || r[i + 1] == '\\' || r[i + 1] == '`')) { rc = wput(&len, r + i + 1, 1); i += 2; }
                else if (r[i] == '$') rc = dollar(r, &i, &len);
                else { rc = wput(&len, r + i, 1); i++; }
            }
            i++;
        } else if (c == '$') {
            rc = dollar(r, &i, &len);
        } else {
            rc = wput(&len, r + i, 1);
            i++;
        }
    }
    if (rc == -1) { diag(script_name, "word too long", 0); return 0; }
    if (rc) return 0;
    if (len == 0 && !quoted) { *dropped = 1; return 0; }
    char *w = arena_copy(word, len);
    if (!w) diag(script_name, "command too long", 0);
    return w;
}

/* ---- commands ---- */

struct redir { int kind, fd, dupfd; char *raw, *path; };
struct cmd {
    char *raw[MAX_ARGS]; int nraw;
    struct redir redirs[MAX_REDIRS]; int nredirs;
    char *argv[MAX_ARGS + 1]; int argc;
    char *assign[MAX_ARGS]; int nassign; /* expanded NAME=value prefixes */
};
static struct cmd stages[MAX_STAGES];

/* A raw word NAME=... with an unquoted NAME is an assignment. */
static int is_assignment(const char *r) {
    size_t n = name_len(r);
    return n > 0 && r[n] == '=';
}

/* Expands a parsed command's words and redirection targets; 0, or -1 after a message. */
static int expand_cmd(struct cmd *c) {
    c->argc = 0; c->nassign = 0;
    for (int i = 0; i < c->nraw; i++) {
        int dropped;
        char *w = expand(c->raw[i], &dropped);
        if (!w && !dropped) return -1;
        if (c->argc == 0 && is_assignment(c->raw[i])) { c->assign[c->nassign++] = w; continue; }
        if (w) c->argv[c->argc++] = w;
    }
    c->argv[c->argc] = 0;
    for (int i = 0; i < c->nredirs; i++) {
        struct redir *r = &c->redirs[i];
        if (r->kind == T_DUP) continue;
        int dropped;
        r->path = expand(r->raw, &dropped);
        if (!r->path) { if (dropped) diag(r->raw, "ambiguous redirect", 0); return -1; }
    }
    return 0;
}

/* Performs the redirections in order in this process; 0, or 1 after a message. */
static int apply_redirs(struct cmd *c) {
    for (int i = 0; i < c->nredirs; i++) {
        struct redir *r = &c->redirs[i];
        if (r->kind == T_DUP) {
            i64 e = sys_dup2(r->dupfd, r->fd);
            if (e < 0) { char d[4] = {(char)('0' + r->dupfd), 0}; diag(d, strerror(e), 0); return 1; }
            continue;
        }
        int flags = r->kind == T_IN ? O_RDONLY : r->kind == T_OUT ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY | O_CREAT | O_APPEND;
        i64 fd = sys_open(r->path, flags, 0666);
        if (fd < 0) { diag(r->path, strerror(fd), 0); return 1; }
        if (fd != r->fd) { sys_dup2((int)fd, r->fd); sys_close((int)fd); }
    }
    return 0;
}

/* ---- builtins ---- */

static int b_echo(struct cmd *c) {
    int i = 1, newline = 1;
    if (c->argc > 1 && !strcmp(c->argv[1], "-n")) { newline = 0; i = 2; }
    for (; i < c->argc; i++) {
        puts_(c->argv[i]);
        if (i + 1 < c->argc) put(" ", 1);
    }
    if (newline) put("\n", 1);
    flush();
    return 0;
}
static int b_cd(struct cmd *c) {
    const char *dir = c->argc > 1 ? c->argv[1] : 0;
    if (!dir) { struct var *h = lookup("HOME", 4); dir = h && h->value && *h->value ? h->value : "/"; }
    i64 r = sys_chdir(dir);
    if (r < 0) { diag("cd", dir, strerror(r)); return 1; }
    char cwd[MAX_PATH];
    if (sys_getcwd(cwd, sizeof cwd) > 0) set_var("PWD", 3, cwd, 0);
    return 0;
}
static int b_pwd(void) {
    char cwd[MAX_PATH];
    i64 r = sys_getcwd(cwd, sizeof cwd);
    if (r < 0) { diag("pwd", strerror(r), 0); return 1; }
    puts_(cwd); put("\n", 1); flush();
    return 0;
}
static int b_export(struct cmd *c) {
    int rc = 0;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        size_t n = name_len(a);
        if (n == 0 || (a[n] != 0 && a[n] != '=')) { diag("export", a, "not a valid name"); rc = 1; continue; }
        if (set_var(a, n, a[n] == '=' ? a + n + 1 : 0, 1) < 0) rc = 1;
    }
    return rc;
}
static int b_set(struct cmd *c) {
    for (int i = 1; i < c->argc; i++) {
        if (!strcmp(c->argv[i], "-e")) errexit = 1;
        else if (!strcmp(c->argv[i], "+e")) errexit = 0;
        else { diag("set", c->argv[i], "only -e and +e are supported"); return 2; }
    }
    return 0;
}
static __attribute__((noreturn)) void b_exit(struct cmd *c) {
    int code = last_status;
    if (c->argc > 1) {
        const char *s = c->argv[1];
        long v = 0;
        int ok = *s != 0;
        for (; *s && ok; s++) { if (*s < '0' || *s > '9' || v > 1000000) ok = 0; else v = v * 10 + (*s - '0'); }
        if (!ok) { diag("exit", c->argv[1], "numeric argument required"); code = 2; } else code = (int)(v & 0xff);
    }
    exit(code);
}

static int is_builtin(const char *name) {
    static const char *const names[] = {"cd", "echo", "exit", "export", "pwd", "set", "true", "false", ":", 0};
    for (int i = 0; names[i]; i++) if (!strcmp(name, names[i])) return 1;
    return 0;
}
static int run_builtin(struct cmd *c) {
    const char *n = c->argv[0];
    if (!strcmp(n, "echo")) return b_echo(c);
    if (!strcmp(n, "cd")) return b_cd(c);
    if (!strcmp(n, "pwd")) return b_pwd();
    if (!strcmp(n, "export")) return b_export(c);
    if (!strcmp(n, "set")) return b_set(c);
    if (!strcmp(n, "exit")) b_exit(c);
    if (!strcmp(n, "false")) return 1;
    return 0; /* true, : */
}

/* ---- external commands ---- */

/* The environment for a child: exported variables, then the command's own NAME=value prefixes. */
static char **child_env(struct cmd *c) {
    char **env = alloc((size_t)(nvars + c->nassign + 1) * sizeof(char *));
    if (!env) return 0;
    int k = 0;
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].exported || !vars[i].value) continue;
        int overridden = 0;
        size_t nl = strlen(vars[i].name);
        for (int j = 0; j < c->nassign; j++) if (!strncmp(c->assign[j], vars[i].name, nl) && c->assign[j][nl] == '=') overridden = 1;
        if (overridden) continue;
        char *e = alloc(nl + strlen(vars[i].value) + 2);
        if (!e) return 0;
        strcpy(e, vars[i].name); e[nl] = '='; strcpy(e + nl + 1, vars[i].value);
        env[k++] = e;
    }
    for (int j = 0; j < c->nassign; j++) env[k++] = c->assign[j];
    env[k] = 0;
    return env;
}

/* In a forked child: redirect, then run the builtin or execve the program. Never returns. */
static __attribute__((noreturn)) void child(struct cmd *c) {
    if (apply_redirs(c)) exit(1);
    if (is_builtin(c->argv[0])) exit(run_builtin(c));
    char **env = child_env(c);
    if (!env) { diag(c->argv[0], strerror(-ENOMEM), 0); exit(126); }
    const char *name = c->argv[0];
    int has_slash = 0;
    for (const char *p = name; *p; p++) if (*p == '/') has_slash = 1;
    i64 r = -ENOENT;
    if (has_slash) {
        r = sys_execve(name, c->argv, env);
    } else {
        struct var *pv = lookup("PATH", 4);
        const char *path = pv && pv->value ? pv->value : "/bin:/usr/bin";
        char full[MAX_PATH];
        size_t nl = strlen(name);
        for (;;) {
            const char *end = path;
            while (*end && *end != ':') end++;
            size_t dl = (size_t)(end - path);
            const char *dir = dl ? path : ".";
            if (!dl) dl = 1;
            if (dl + 1 + nl < sizeof full) {
                __builtin_memcpy(full, dir, dl);
                full[dl] = '/';
                __builtin_memcpy(full + dl + 1, name, nl + 1);
                i64 e = sys_execve(full, c->argv, env);
                if (e != -ENOENT && e != -ENOTDIR) { r = e; break; }
            }
            if (!*end) break;
            path = end + 1;
        }
        if (r == -ENOENT) { diag(name, "command not found", 0); exit(127); }
    }
    diag(name, strerror(r), 0);
    exit(r == -ENOENT ? 127 : 126);
}

/* Status of a waited child as the shell reports it; says so when a signal (not SIGPIPE) ended it. */
static int child_status(int st, const char *name) {
    if (st < 0) return 127;
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    int sig = WTERMSIG(st);
    if (sig != SIGPIPE) {
        char what[64];
        fmt_to(what, sig == SIGKILL ? "Killed (signal " : "terminated by signal ", sig, sig == SIGKILL ? ")" : "");
        diag(name, what, 0);
    }
    return 128 + sig;
}

/* ---- pipelines ---- */

/* Runs stages[0..n): a lone builtin or assignment in this process, anything else in children. */
static int run_pipeline(int n) {
    arena_used = 0;
    for (int i = 0; i < n; i++) if (expand_cmd(&stages[i]) < 0) return 1;
    struct cmd *c = &stages[0];
    if (n == 1 && c->argc == 0) {
        /* assignments only (and redirections, which still create or truncate files) */
        for (int i = 0; i < c->nassign; i++) {
            size_t nl = name_len(c->assign[i]);
            if (set_var(c->assign[i], nl, c->assign[i] + nl + 1, 0) < 0) return 1;
        }
        if (c->nredirs == 0) return 0;
        i64 pid = sys_fork();
        if (pid == 0) exit(apply_redirs(c));
        return pid < 0 ? 1 : child_status(wait_for(pid), "redirection");
    }
    if (n == 1 && is_builtin(c->argv[0])) {
        /* in this process, so cd, export, set and exit take effect; descriptors saved and put back */
        int saved[10];
        for (int fd = 0; fd < 10; fd++) saved[fd] = -2;
        for (int i = 0; i < c->nredirs; i++) {
            int fd = c->redirs[i].fd;
            if (saved[fd] == -2) saved[fd] = (int)sys_fcntl(fd, F_DUPFD_CLOEXEC, 10);
        }
        int rc = apply_redirs(c);
        if (rc == 0) rc = run_builtin(c);
        flush();
        for (int fd = 0; fd < 10; fd++) {
            if (saved[fd] == -2) continue;
            if (saved[fd] >= 0) { sys_dup2(saved[fd], fd); sys_close(saved[fd]); } else sys_close(fd);
        }
        return rc;
    }
    i64 pids[MAX_STAGES];
    int in = -1;
    flush();
    for (int i = 0; i < n; i++) {
        int p[2] = {-1, -1};
        if (i + 1 < n) {
            i64 e = sys_pipe2(p, O_CLOEXEC);
            if (e < 0) { diag("pipe", strerror(e), 0); pids[i] = -1; n = i; break; }
        }
        i64 pid = sys_fork();
        if (pid == 0) {
            if (in >= 0) sys_dup2(in, 0);   /* dup2 clears close-on-exec on the copy */
            if (p[1] >= 0) sys_dup2(p[1], 1);
            if (stages[i].argc == 0) exit(apply_redirs(&stages[i]));
            child(&stages[i]);
        }
        if (pid < 0) diag("fork", strerror(pid), 0);
        pids[i] = pid;
        if (in >= 0) sys_close(in);
        if (p[1] >= 0) sys_close(p[1]);
        in = p[0];
    }
    if (in >= 0) sys_close(in);
    int status = 1;
    for (int i = 0; i < n; i++) {
        const char *name = stages[i].argc ? stages[i].argv[0] : "redirection";
        status = pids[i] < 0 ? 126 : child_status(wait_for(pids[i]), name);
    }
    return status;
}

/* ---- lines ---- */

static const char *const reserved[] = {"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
                                       "case", "esac", "function", "{", "}", "!", "[[", 0};

/* Parses and runs the tokens of one line; -1 on a syntax error. */
static int run_line(int ntok) {
    int i = 0;
    int connector = T_SEMI, final_ran = 0;
    while (i < ntok) {
        int n = 0;
        struct cmd *c = 0;
        for (;;) {
            if (n == MAX_STAGES) { syntax("too many commands in a pipeline"); return -1; }
            c = &stages[n++];
            c->nraw = 0; c->nredirs = 0;
            while (i < ntok && toks[i].kind != T_PIPE && toks[i].kind != T_AND && toks[i].kind != T_OR && toks[i].kind != T_SEMI) {
                struct token *t = &toks[i++];
                if (t->kind == T_WORD) {
                    if (c->nraw == MAX_ARGS) { syntax("too many words in a command"); return -1; }
                    if (c->nraw == 0) for (int k = 0; reserved[k]; k++)
                        if (!strcmp(t->text, reserved[k])) { syntax("control structures (if, for, while, case, functions, !) are not supported"); return -1; }
                    c->raw[c->nraw++] = t->text;
                    continue;
                }
                if (c->nredirs == MAX_REDIRS) { syntax("too many redirections"); return -1; }
                struct redir *r = &c->redirs[c->nredirs++];
                r->kind = t->kind; r->fd = t->fd; r->dupfd = t->dupfd; r->raw = 0; r->path = 0;
                if (t->kind != T_DUP) {
                    if (i >= ntok || toks[i].kind != T_WORD) { syntax("a redirection needs a file name"); return -1; }
                    r->raw = toks[i++].text;
                }
            }
            if (c->nraw == 0 && c->nredirs == 0) { syntax("missing command"); return -1; }
            if (i < ntok && toks[i].kind == T_PIPE) { i++; if (i >= ntok) { syntax("missing command after |"); return -1; } continue; }
            break;
        }
        int op = i < ntok ? toks[i++].kind : T_SEMI;
        if ((op == T_AND || op == T_OR) && i >= ntok) { syntax("missing command after && or ||"); return -1; }
        if (op == T_SEMI && i < ntok && toks[i].kind == T_SEMI) { syntax("unexpected ;"); return -1; }
        int run = connector == T_SEMI || (connector == T_AND && last_status == 0) || (connector == T_OR && last_status != 0);
        if (run) {
            last_status = run_pipeline(n);
            final_ran = op == T_SEMI;
        }
        if (op == T_SEMI) {
            if (errexit && final_ran && last_status != 0) exit(last_status);
            final_ran = 0;
        }
        connector = op;
    }
    return 0;
}

/* Runs a whole script text, line by line. */
static int run_text(const char *text, size_t len) {
    size_t pos = 0;
    line_no = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n') end++;
        line_no++;
        if (end - pos > MAX_LINE) { syntax("line too long"); exit(2); }
        for (size_t k = pos; k < end; k++) if (text[k] == 0) { syntax("NUL byte in script"); exit(2); }
        int ntok = lex(text + pos, end - pos);
        if (ntok < 0 || run_line(ntok) < 0) exit(2);
        pos = end + 1;
    }
    return last_status;
}

/* Reads the script from fd: at most MAX_SCRIPT bytes. */
static char *read_script(int fd, size_t *len) {
    struct stat st;
    size_t cap = 65536;
    if (sys_fstat(fd, &st) == 0 && S_ISREG(st.mode) && st.size > 0) cap = st.size < MAX_SCRIPT ? (size_t)st.size : MAX_SCRIPT;
    char *buf = alloc(cap + 2);
    if (!buf) { diag(script_name, strerror(-ENOMEM), 0); return 0; }
    i64 n = read_all(fd, buf, cap + 2);
    if (n < 0) { diag(script_name, strerror(n), 0); return 0; }
    if ((size_t)n > cap) { diag(script_name, "script too long", 0); return 0; }
    *len = (size_t)n;
    return buf;
}

static int usage(void) {
    diag("usage: nsh [-e] FILE [ARG...] | nsh [-e] -c STRING [NAME [ARG...]] | nsh [-e] [-s] [ARG...]", 0, 0);
    return 2;
}

int main(int argc, char **argv) {
    for (char **e = environ; e && *e; e++) {
        size_t n = name_len(*e);
        if (n && (*e)[n] == '=') set_var(*e, n, *e + n + 1, 1);
    }
    int i = 1, from_stdin = 0;
    const char *code = 0;
    /* options: clusters of e, c, s; "--" or "-" ends them (as the interpreter spec for nsh says) */
    while (i < argc && argv[i][0] == '-') {
        const char *o = argv[i++];
        if (!strcmp(o, "--") || !strcmp(o, "-")) break;
        for (const char *p = o + 1; *p; p++) {
            if (*p == 'e') errexit = 1;
            else if (*p == 's') from_stdin = 1;
            else if (*p == 'c') {
                if (i >= argc) { diag("-c", "needs a command string", 0); return 2; }
                code = argv[i++];
            } else return usage();
        }
    }
    if (code) {
        params = argv + i;
        nparams = argc - i;
        static char *nsh_name[] = {"nsh"};
        if (nparams == 0) { params = nsh_name; nparams = 1; }
        script_name = params[0];
        return run_text(code, strlen(code));
    }
    size_t len;
    char *text;
    if (from_stdin || i >= argc) {
        params = argv;
        nparams = 1 + (argc - i);
        /* $0 is argv[0]; $1... the operands */
        char **p = alloc((size_t)(nparams + 1) * sizeof(char *));
        if (!p) return 2;
        p[0] = argv[0];
        for (int k = i; k < argc; k++) p[1 + k - i] = argv[k];
        params = p;
        text = read_script(0, &len);
    } else {
        script_name = argv[i];
        params = argv + i;
        nparams = argc - i;
        i64 fd = sys_open(argv[i], O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) { diag(argv[i], strerror(fd), 0); return 127; }
        text = read_script((int)fd, &len);
        sys_close((int)fd);
    }
    if (!text) return 2;
    return run_text(text, len);
}
WALI_MAIN
