/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threads.c - the stack of the threads a process starts.
 *
 * libmilter starts its worker threads all the time with the default
 * attributes, whose stack is RLIMIT_STACK (8 MiB on Debian); glibc keeps
 * at most 40 MiB of ended threads' stacks for reuse, five of that size.
 * With more connections than that, most new threads got a new mapping
 * and a page fault for each page they touched, and each that ended an
 * munmap() whose TLB shootdown interrupted every CPU (bench/README: the
 * thread stacks).  The daemon's callbacks need a few KiB (a log line is
 * built in 4 KiB); the tests pass with 64 KiB; THREADS_STACK, 256 KiB,
 * leaves four times that, and lets glibc keep 160 stacks.
 * bench/null-milter -S uses it too, for a floor on equal stacks.
 */
#include <pthread.h>

#include "threads.h"

/*
 * threads_stack - see threads.h.
 */
int
threads_stack(size_t bytes)
{
	pthread_attr_t attr;
	int rc;

	if ((rc = pthread_attr_init(&attr)) != 0)
		return rc;
	if ((rc = pthread_attr_setstacksize(&attr, bytes)) == 0)
		rc = pthread_setattr_default_np(&attr);
	(void)pthread_attr_destroy(&attr);
	return rc;
}
