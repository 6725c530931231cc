/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cputime.c - the CPU time processes have used, to the nanosecond.
 *
 *	bench/cputime PID...
 *
 * Prints one line, the CPU time (user and system, every thread of each
 * process, ended threads included) of each PID in seconds with nine
 * decimals, separated by blanks: what /proc's clock ticks (10 ms) cannot
 * resolve for a milter that spends a tenth of a millisecond a message.  A
 * process that does not exist prints -1.  Exit status 0, 64 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	clockid_t clock;
	char *end;
	long pid;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime PID...\n");
		return 64;
	}
	for (i = 1; i < argc; i++) {
		pid = strtol(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0' || pid <= 0) {
			fprintf(stderr, "cputime: bad PID '%s'\n", argv[i]);
			return 64;
		}
		if (clock_getcpuclockid((pid_t)pid, &clock) == 0 &&
		    clock_gettime(clock, &ts) == 0)
			printf("%s%lld.%09ld", i > 1 ? " " : "",
			    (long long)ts.tv_sec, ts.tv_nsec);
		else
			printf("%s-1", i > 1 ? " " : "");
	}
	putchar('\n');
	return 0;
}
