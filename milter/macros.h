/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * macros.h - the MTA macros the daemon asks for, stage by stage.
 */
#ifndef MACROS_H
#define MACROS_H

/* The stages of smfi_setsymlist(), without libmilter's header. */
enum macros_stage {
	MACROS_CONNECT,
	MACROS_HELO,
	MACROS_MAIL,
	MACROS_RCPT
};

/*
 * macros_list - the space-separated macros read at stage: each
 * selector's macro of that stage (selector.h; a HELO-stage fact is read
 * at MAIL, where the HELO in force is known), the TLS macros
 * (session.h) at HELO and MAIL, and what the daemon reads besides:
 * {client_resolve} and "v" at CONNECT, "i" and {mail_addr} at MAIL.  RCPT
 * reads nothing.  The string is static, built on first use.
 */
const char *macros_list(enum macros_stage stage);

#endif
