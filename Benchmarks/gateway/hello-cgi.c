/* Benchmarks/gateway/hello-cgi.c: the C baseline for the CGI one-shot in Benchmarks/gateway.sh.
 * Writes one CGI answer (the same as hello-fcgi.c's) to stdout and exits.
 *
 *   gcc -O2 -o hello-cgi hello-cgi.c
 */
#include <stdio.h>

#define BODY "{\"hello\":\"world\"}"

int main(void)
{
    fputs("Status: 200 OK\r\n"
          "Content-Type: application/json\r\n", stdout);
    printf("Content-Length: %d\r\n\r\n%s", (int)(sizeof(BODY) - 1), BODY);
    return fflush(stdout) == 0 ? 0 : 1;
}
