/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds_session.c - seeds for fuzz_session and fuzz_eval from
 * t/session_test.c: each TLS row's macros with its MTA, each client, HELO
 * and sender row, as session descriptions (fuzz.h).
 */
#define main session_test_main
#include "../t/session_test.c"
#undef main

#include "fuzz.h"
#include "seeds.h"

int main(int argc, char **argv);

static void
seed(const char *v[SD_NFIELDS], enum session_mta mta, bool incomplete)
{
	FILE *fp = seeds_open("session");

	sessdesc_write(fp, mta, incomplete, v);
	seeds_close(fp);
}

int
main(int argc, char **argv)
{
	const char *v[SD_NFIELDS];
	size_t i, j, k;

	seeds_init(argc, argv);
	for (i = 0; i < sizeof(tls_rows) / sizeof(tls_rows[0]); i++) {
		const struct tls_row *r = &tls_rows[i];

		memset(v, 0, sizeof(v));
		v[SD_ADDR] = "192.0.2.1";
		v[SD_SENDER] = "<a@example.org>";
		v[SD_RCPT] = "<b@example.net>";
		for (j = 0; j + 1 < MACROS_MAX && r->macros[j] != NULL; j += 2)
			for (k = SD_TLS_VERSION; k < SD_NFIELDS; k++)
				if (strcmp(sd_macro[k], r->macros[j]) == 0)
					v[k] = r->macros[j + 1];
		seed(v, r->mta, r->incomplete);
	}
	for (i = 0; i < sizeof(client_rows) / sizeof(client_rows[0]); i++) {
		memset(v, 0, sizeof(v));
		v[SD_ADDR] = client_rows[i].addr;
		v[SD_NAME] = client_rows[i].name;
		v[SD_RESOLVE] = client_rows[i].resolve;
		seed(v, SESSION_MTA_AUTO, false);
	}
	for (i = 0; i < sizeof(helo_rows) / sizeof(helo_rows[0]); i++) {
		memset(v, 0, sizeof(v));
		v[helo_rows[i].with_tls ? SD_HELO_POST : SD_HELO_PRE] =
		    helo_rows[i].helo;
		if (helo_rows[i].with_tls)
			v[SD_TLS_VERSION] = "TLSv1.3";
		seed(v, SESSION_MTA_AUTO, false);
	}
	for (i = 0; i < sizeof(sender_rows) / sizeof(sender_rows[0]); i++) {
		memset(v, 0, sizeof(v));
		v[SD_SENDER] = sender_rows[i].sender;
		v[SD_AUTH] = sender_rows[i].auth;
		v[SD_QUEUE_ID] = sender_rows[i].queue_id;
		seed(v, SESSION_MTA_AUTO, false);
	}
	return 0;
}
