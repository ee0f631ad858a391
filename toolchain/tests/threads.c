/* WALI only: the runtime has no threads, so pthread_create fails cleanly with EAGAIN. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *work(void *arg) { return arg; }

int main(void)
{
    pthread_t t;
    int r = pthread_create(&t, 0, work, 0);
    printf("pthread_create: %s\n", r == 0 ? "started" : strerror(r));
    printf("EAGAIN %d\n", r == EAGAIN);
    printf("self is usable %d\n", pthread_equal(pthread_self(), pthread_self()));
    return 0;
}
