/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * macros.c - the macro lists of smfi_setsymlist(), from the selectors'
 * and the TLS facts' descriptions (see macros.h and milter.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "macros.h"
#include "selector.h"
#include "session.h"

/* More than the lists need (about 250 bytes at MAIL). */
#define MACROS_MAX	1024

static char lists[MACROS_RCPT + 1][MACROS_MAX];
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* Append " name" to list (the first without its space). */
static void
add(char *list, const char *name)
{
	size_t n = strlen(list);

	snprintf(list + n, MACROS_MAX - n, "%s%s", n > 0 ? " " : "", name);
}

/* The selectors' macros of the stages from..to into list. */
static void
add_selectors(char *list, enum sel_stage from, enum sel_stage to)
{
	unsigned i;

	for (i = 0; i < SEL_N; i++)
		if (selectors[i].se_macro[0] != '\0' &&
		    selectors[i].se_stage >= from && selectors[i].se_stage <= to)
			add(list, selectors[i].se_macro);
}

#define TLS_MACRO(name) add(list, "{" #name "}");
static void
add_tls(char *list)
{
	SESSION_TLS_MACROS(TLS_MACRO)
}
#undef TLS_MACRO

static void
build(void)
{
	add_selectors(lists[MACROS_CONNECT], STAGE_CONNECT, STAGE_CONNECT);
	add(lists[MACROS_CONNECT], "{client_resolve} v");
	add_tls(lists[MACROS_HELO]);
	add(lists[MACROS_MAIL], "i {mail_addr}");
	add_selectors(lists[MACROS_MAIL], STAGE_HELO, STAGE_MAIL);
	add_tls(lists[MACROS_MAIL]);
}

/*
 * macros_list - see macros.h.
 */
const char *
macros_list(enum macros_stage stage)
{
	(void)pthread_once(&built, build);
	return lists[stage];
}
