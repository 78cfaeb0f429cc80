/* Benchmarks/gateway/hello-cgi.c: the C baseline for the CGI one-shot in Benchmarks/gateway.sh.
 * Writes one CGI answer to stdout and exits: the same as hello-fcgi.c's and as Gale's hello
 * example at GET / (the body `Hello, world`, Content-Type `text/html; charset=UTF-8` and a
 * Content-Length).
 *
 *   gcc -O2 -o hello-cgi hello-cgi.c
 */
#include <stdio.h>

#define BODY "Hello, world"

int main(void)
{
    fputs("Status: 200 OK\r\n"
          "Content-Type: text/html; charset=UTF-8\r\n", stdout);
    printf("Content-Length: %d\r\n\r\n%s", (int)(sizeof(BODY) - 1), BODY);
    return fflush(stdout) == 0 ? 0 : 1;
}
