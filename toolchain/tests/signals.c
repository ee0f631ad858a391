/* Signals and non-local jumps: sigaction + raise, SA_SIGINFO, SIG_IGN, masks, setjmp/longjmp. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last;
static jmp_buf plain;

static void on_usr1(int sig) { hits++; last = sig; }
static void on_info(int sig, siginfo_t *info, void *ctx) { (void)info; (void)ctx; hits += 10; last = sig; }

static int depth(int n) { if (n == 0) longjmp(plain, 5); return depth(n - 1) + 1; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    printf("sigaction %d\n", sigaction(SIGUSR1, &sa, 0));
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("handler ran %d times, last signal %d\n", hits, last);

    struct sigaction old;
    sigaction(SIGUSR1, 0, &old);
    printf("sigaction reads back the handler %d\n", old.sa_handler == on_usr1);

    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_info;
    sigaction(SIGUSR2, &sa, 0);
    raise(SIGUSR2);
    printf("SA_SIGINFO handler: hits %d last %d\n", hits, last);

    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: hits still %d\n", hits);

    signal(SIGUSR1, on_usr1);
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, 0);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("blocked: pending %d, hits %d\n", sigismember(&pending, SIGUSR1), hits);
    sigprocmask(SIG_UNBLOCK, &block, 0);
    printf("unblocked: hits %d\n", hits);

    int r = setjmp(plain);
    if (r == 0) depth(100);
    printf("longjmp out of 100 frames returned %d\n", r);

    int refused = sigaction(SIGKILL, &sa, 0);
    printf("sigaction(SIGKILL) %d EINVAL %d\n", refused, errno == EINVAL);
    return 0;
}
