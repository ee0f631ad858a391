/* siglongjmp out of a SIGALRM handler that interrupted pause(), with the saved mask restored. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sigjmp_buf escape;

static void on_alarm(int sig) { (void)sig; siglongjmp(escape, 42); }

int main(void)
{
    signal(SIGALRM, on_alarm);
    volatile int rounds = 0;
    int v = sigsetjmp(escape, 1);
    rounds++;
    if (v == 0) {
        alarm(1);
        for (;;) pause();
    }
    sigset_t now;
    sigprocmask(SIG_BLOCK, 0, &now);
    printf("siglongjmp out of the SIGALRM handler: %d after %d rounds, SIGALRM unblocked again %d\n", v, rounds,
           !sigismember(&now, SIGALRM));
    return 0;
}
