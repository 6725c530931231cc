/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confkeys.c - print every key the policy parser accepts, one a line:
 * "top KEY" or "rule KEY", from conf_keys() (the parser's own option
 * tables).  t/man.t compares this list with tls-policy-milter.conf(5).
 */
#include <stdio.h>

#include "conf.h"

static void
print_key(void *arg, const char *section, const char *key)
{
	(void)arg;
	printf("%s %s\n", section != NULL ? section : "top", key);
}

int
main(void)
{
	conf_keys(print_key, NULL);
	return ferror(stdout) ? 1 : 0;
}
