/* Benchmarks/gateway/hello-fcgi.c: the C baseline for Benchmarks/gateway.sh.
 *
 * A minimal FastCGI responder on libfcgi's re-entrant API (fcgiapp.h), listening on a unix
 * socket (argv[1], mode 0666) with 2 accept threads, to match `hello fastcgi --threads 2`.
 * Every request, whatever its path, gets the same answer as Gale's hello example at GET /:
 * the body `Hello, world`, Content-Type `text/html; charset=UTF-8` and a Content-Length.
 *
 *   gcc -O2 -o hello-fcgi hello-fcgi.c -lfcgi -lpthread
 *   ./hello-fcgi /tmp/hello-fcgi.sock
 *
 * libfcgi installs its own SIGTERM handler, which only marks a shutdown as pending and so
 * leaves a thread blocked in accept(); here SIGTERM and SIGINT are blocked in every thread and
 * the main thread waits for them with sigwait(), then exits at once.
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define THREADS 2
#define BODY "Hello, world"

static int listen_fd;

static void *serve(void *arg)
{
    FCGX_Request request;
    (void)arg;
    if (FCGX_InitRequest(&request, listen_fd, 0) != 0) {
        fprintf(stderr, "hello-fcgi: FCGX_InitRequest failed\n");
        return NULL;
    }
    /* libfcgi's FCGX_Accept_r takes its own lock around accept() where needed. */
    while (FCGX_Accept_r(&request) >= 0) {
        FCGX_FPrintF(request.out,
                     "Status: 200 OK\r\n"
                     "Content-Type: text/html; charset=UTF-8\r\n"
                     "Content-Length: %d\r\n"
                     "\r\n"
                     "%s",
                     (int)(sizeof(BODY) - 1), BODY);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    sigset_t stop;
    int i, sig;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SOCKET_PATH\n", argv[0]);
        return 2;
    }
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);   /* inherited by the threads made below */
    if (FCGX_Init() != 0) {
        fprintf(stderr, "hello-fcgi: FCGX_Init failed\n");
        return 1;
    }
    listen_fd = FCGX_OpenSocket(argv[1], 128);
    if (listen_fd < 0) {
        fprintf(stderr, "hello-fcgi: cannot listen on %s\n", argv[1]);
        return 1;
    }
    if (chmod(argv[1], 0666) != 0) {
        perror("hello-fcgi: chmod");
        return 1;
    }
    for (i = 0; i < THREADS; i++) {
        if (pthread_create(&threads[i], NULL, serve, NULL) != 0) {
            fprintf(stderr, "hello-fcgi: pthread_create failed\n");
            return 1;
        }
    }
    if (sigwait(&stop, &sig) != 0)
        return 1;
    return 0;                   /* exits every thread; the socket file goes with the temp dir */
}
