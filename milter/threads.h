/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threads.h - the stack of the threads a process starts, libmilter's
 * among them.
 */
#ifndef THREADS_H
#define THREADS_H

#include <stddef.h>

/*
 * The daemon's thread stack (threads.c says why): 256 KiB, 2 MiB when
 * built with a sanitizer, whose instrumented frames are larger.  A build
 * may set another with -DTHREADS_STACK=BYTES (the suite passes with 64
 * KiB).
 */
#ifndef THREADS_STACK
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define THREADS_STACK	(2048 * 1024)
#else
#define THREADS_STACK	(256 * 1024)
#endif
#endif

/*
 * threads_stack - make bytes the stack size of every thread started from
 * now on with default attributes.  Call it before any thread starts.
 * Returns 0, or an errno value (the default then stays).
 */
int threads_stack(size_t bytes);

#endif
