/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds_eval.c - seeds for fuzz_eval and fuzz_session from
 * t/eval_test.c: the session of each evaluation row and of each
 * transaction row (with each of its recipients), as session descriptions
 * (fuzz.h).
 */
#define main eval_test_main
#include "../t/eval_test.c"
#undef main

#include "fuzz.h"
#include "seeds.h"

int main(int argc, char **argv);

static void
seed(const struct sess *s, const char *rcpt)
{
	const char *v[SD_NFIELDS] = { NULL };
	size_t j, k;
	FILE *fp;

	v[SD_ADDR] = s->addr;
	v[SD_NAME] = s->name;
	v[SD_RESOLVE] = s->resolve;
	v[SD_LISTENER] = s->listener;
	v[SD_HELO_PRE] = s->helo_pre;
	v[SD_HELO_POST] = s->helo_post;
	v[SD_SENDER] = s->sender;
	v[SD_AUTH] = s->auth;
	v[SD_RCPT] = rcpt;
	for (j = 0; j + 1 < MACROS_MAX && s->macros[j] != NULL; j += 2)
		for (k = SD_TLS_VERSION; k < SD_NFIELDS; k++)
			if (strcmp(sd_macro[k], s->macros[j]) == 0)
				v[k] = s->macros[j + 1];
	fp = seeds_open("eval");
	sessdesc_write(fp, s->mta, s->incomplete, v);
	seeds_close(fp);
}

int
main(int argc, char **argv)
{
	size_t i, j;

	seeds_init(argc, argv);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		seed(&rows[i].s, rows[i].s.rcpt);
	for (i = 0; i < sizeof(tx_rows) / sizeof(tx_rows[0]); i++)
		for (j = 0; j < 4 && tx_rows[i].r[j].rcpt != NULL; j++)
			seed(&tx_rows[i].s, tx_rows[i].r[j].rcpt);
	return 0;
}
