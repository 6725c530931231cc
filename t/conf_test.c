/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_test.c - conf_load(): the sample policy, a file with every key, and
 * a table of broken files, each with the exact list of problems it must
 * give ("FILE:LINE: message", the temporary file's name shown as "P").
 * One TAP test point per table row.
 */
#include "testlist.h"

#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "confprint.h"
#include "rule.h"
#include "testutil.h"

static char tmpdir[256];	/* made by main() */
static char tmppath[300];	/* tmpdir/policy.conf */

/*
 * Join the problems into "LINE\n" strings, writing path as "P"; returns
 * out.
 */
static char *
join(const struct conf_errors *e, const char *path, char *out, size_t len)
{
	size_t i, n = 0, plen = strlen(path);
	const char *line;

	out[0] = '\0';
	for (i = 0; i < e->ce_count && n < len; i++) {
		line = e->ce_lines[i];
		if (strncmp(line, path, plen) == 0)
			n += (size_t)snprintf(out + n, len - n, "P%s\n",
			    line + plen);
		else
			n += (size_t)snprintf(out + n, len - n, "%s\n", line);
	}
	return out;
}

/* Load path; the problems, joined, go to out. */
static struct policy *
load_path(const char *path, char *out, size_t len)
{
	struct conf_errors e;
	struct policy *p;

	p = conf_load(path, &e);
	join(&e, path, out, len);
	assert_true(p == NULL || e.ce_count == 0);
	assert_true(p != NULL || e.ce_count > 0);
	conf_errors_free(&e);
	return p;
}

/* Write text (len bytes) to the temporary file and load it. */
static struct policy *
load_text(const char *text, size_t len, char *out, size_t outlen)
{
	struct policy *p;
	FILE *fp;

	assert_non_null(fp = fopen(tmppath, "w"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	p = load_path(tmppath, out, outlen);
	assert_int_equal(unlink(tmppath), 0);
	return p;
}

/* ------------------------------------------------------------ broken files */

struct bad_row {
	const char	*label;
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*want;		/* every problem, "P:LINE: msg\n" each */
};

#define RULE_A	"rule \"a\" {\n"	/* line 1 of most rows */

/* A rule's "authenticated": -1 when not given, else 0 or 1. */
#define AUTHENTICATED(r) ((r)->r_sel[SEL_AUTHENTICATED].sv_n == 0 ? -1 : \
	(int)(r)->r_sel[SEL_AUTHENTICATED].sv_bool)
#define NUL_TEXT RULE_A "    require = \"no\0ne\"\n}\n"

/* Digests: 32 and 16 bytes written as hex pairs. */
#define FP16	"5A:A9:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd"
#define FP32	"F6D70011223344556677" "8899AABBCCDDEEFF" \
		"0123456789abcdef" "0123456789AB"

#define L40	"0123456789012345678901234567890123456789"
#define DN300	"/O=" L40 L40 L40 L40 L40 L40 L40 "/CN=x"
#define DN255	"/O=" L40 L40 L40 L40 L40 L40 "0123456/CN=x"

static const struct bad_row bad_rows[] = {
	/* The MTA, fingerprints, DNs. */
	{ "mta not one of the three",
	    "mta = \"exim\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: mta: \"exim\" is not one of auto, postfix, sendmail\n" },
	{ "mta inside a rule",
	    RULE_A "    mta = \"sendmail\"\n    require = \"none\"\n}\n", 0,
	    "P:2: mta can only be set at the top of the file, not inside a "
	    "rule\n" },
	{ "mta given twice",
	    "mta = \"postfix\"\nmta = \"sendmail\"\n"
	    RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: mta is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n" },
	{ "cert_fingerprint without an algorithm",
	    RULE_A "    require = \"encrypt\"\n"
	    "    cert_fingerprint = {\"" FP16 "\"}\n}\n", 0,
	    "P:3: cert_fingerprint: \"" FP16 "\" must start with md5:, "
	    "sha1:, sha256:, sha384: or sha512:\n" },
	{ "cert_fingerprint of an unknown algorithm",
	    RULE_A "    require = \"encrypt\"\n"
	    "    cert_fingerprint = {\"sha3:" FP16 "\"}\n}\n", 0,
	    "P:3: cert_fingerprint: \"sha3:" FP16 "\" must start with md5:, "
	    "sha1:, sha256:, sha384: or sha512:\n" },
	{ "cert_fingerprint of the wrong length",
	    RULE_A "    require = \"encrypt\"\n"
	    "    cert_fingerprint = {\"sha256:" FP16 "\",\n"
	    "                        \"md5:" FP16 ":00\"}\n}\n", 0,
	    "P:3: cert_fingerprint: \"sha256:" FP16 "\" has the wrong length "
	    "for its algorithm\n"
	    "P:4: cert_fingerprint: \"md5:" FP16 ":00\" has the wrong length "
	    "for its algorithm\n" },
	{ "cert_fingerprint that is no hex",
	    RULE_A "    require = \"encrypt\"\n"
	    "    cert_fingerprint = {\"md5:5A:A9:\", \"md5:5A::A9\", "
	    "\"md5:5G\", \"md5:\", \"md5:5A A9\"}\n}\n", 0,
	    "P:3: cert_fingerprint: \"md5:5A:A9:\" is not a digest in hex "
	    "(pairs of 0-9 A-F, with or without \":\" between them)\n"
	    "P:3: cert_fingerprint: \"md5:5A::A9\" is not a digest in hex "
	    "(pairs of 0-9 A-F, with or without \":\" between them)\n"
	    "P:3: cert_fingerprint: \"md5:5G\" is not a digest in hex "
	    "(pairs of 0-9 A-F, with or without \":\" between them)\n"
	    "P:3: cert_fingerprint: \"md5:\" is not a digest in hex "
	    "(pairs of 0-9 A-F, with or without \":\" between them)\n"
	    "P:3: cert_fingerprint: \"md5:5A A9\" is not a digest in hex "
	    "(pairs of 0-9 A-F, with or without \":\" between them)\n" },
	{ "cert_fingerprint with require none",
	    RULE_A "    require = \"none\"\n"
	    "    cert_fingerprint = {\"md5:" FP16 "\"}\n}\n", 0,
	    "P:3: cert_fingerprint needs require = \"encrypt\" or stronger, "
	    "not \"none\"\n" },
	{ "cert_fingerprint with mta postfix",
	    "mta = \"postfix\"\n"
	    RULE_A "    require = \"verify\"\n"
	    "    cert_fingerprint = {\"md5:" FP16 "\"}\n}\n", 0,
	    "P:4: cert_fingerprint can never be met with mta = \"postfix\" "
	    "(line 1): Postfix gives a milter no certificate fingerprint\n" },
	{ "cert_issuer DN with mta postfix",
	    "mta = \"postfix\"\n"
	    RULE_A "    require = \"verify\"\n"
	    "    cert_issuer = {\"Example CA\",\n"
	    "                   \"/O=Example/CN=Example CA\"}\n}\n", 0,
	    "P:5: cert_issuer: \"/O=Example/CN=Example CA\" is a DN, but with "
	    "mta = \"postfix\" (line 1) the issuer is known by its CN only\n" },
	{ "cert_issuer DN too long for Sendmail",
	    RULE_A "    require = \"verify\"\n"
	    "    cert_issuer = {\"" DN300 "\"}\n}\n", 0,
	    "P:3: cert_issuer: \"/O=0123456789012345678901234567890123456...\" "
	    "is a DN longer than the 255 bytes Sendmail passes on, so it could "
	    "never match\n" },

	/* Syntax. */
	{ "missing closing brace",
	    RULE_A "    require = \"none\"\n", 0,
	    "P:1: \"{\" opened here is never closed with \"}\"\n" },
	{ "missing =",
	    RULE_A "    require \"none\"\n}\n", 0,
	    "P:2: missing \"=\" after require\n" },
	{ "unknown key at the top level",
	    "colour = \"red\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: unknown setting \"colour\"\n" },
	{ "unknown key in a rule",
	    RULE_A "    require = \"none\"\n    colour = \"red\"\n}\n", 0,
	    "P:3: unknown setting \"colour\"\n" },
	{ "rule key at the top level",
	    "require = \"none\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: require can only be set inside a rule\n" },
	{ "top-level key inside a rule",
	    RULE_A "    mode = \"monitor\"\n    require = \"none\"\n}\n", 0,
	    "P:2: mode can only be set at the top of the file, not inside a "
	    "rule\n" },
	{ "rule inside a rule",
	    RULE_A "    require = \"none\"\n    rule \"b\" {\n    }\n}\n", 0,
	    "P:3: a rule cannot contain another rule (is a \"}\" missing "
	    "above?)\n" },
	{ "duplicate rule name",
	    RULE_A "    sender = {\"x.example\"}\n    require = \"none\"\n}\n"
	    "rule \"b\" {\n    sender = {\"y.example\"}\n    require = \"none\"\n}\n"
	    "rule \"a\" {\n    require = \"none\"\n}\n", 0,
	    "P:9: there is already a rule \"a\" (line 1)\n" },
	{ "rule without a name",
	    "rule {\n    require = \"none\"\n}\n", 0,
	    "P:1: a rule needs a name in quotes: rule \"NAME\" { ... }\n" },
	{ "rule name without a brace",
	    "rule \"a\"\n    require = \"none\"\n", 0,
	    "P:2: missing \"{\" after the rule name\n" },
	{ "an empty name at the top level (found by fuzz_conf)",
	    "\"\" = \"x\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: an empty \"\" where a setting's name belongs\n" },
	{ "an empty name in a rule, after a finished rule",
	    RULE_A "    sender = {\"x.example\"}\n    require = \"none\"\n}\n"
	    "rule \"b\" {\n    require = \"none\"\n\n    '' = \"x\"\n}\n", 0,
	    "P:8: an empty \"\" where a setting's name belongs\n" },
	{ "an empty name written as an escape (found by fuzz_conf)",
	    " \"\\00\" = \"x\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: an empty \"\" where a setting's name belongs\n" },
	{ "an empty name written as a line continuation (found by fuzz_conf)",
	    "\"\\\n\"x\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:2: the file cannot be read from here on (an empty name where a "
	    "setting's name belongs?)\n" },
	{ "list value for a scalar at the top level",
	    "mode = {\"enforce\"}\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: mode takes a single value, not a list in braces\n" },
	{ "list value for a scalar in a rule",
	    RULE_A "    require = {\"none\"}\n}\n", 0,
	    "P:2: require takes a single value, not a list in braces\n" },
	{ "+= on a scalar",
	    RULE_A "    require += \"none\"\n}\n", 0,
	    "P:2: require takes a single value, so \"+=\" cannot add to it\n" },
	{ "no value after =",
	    RULE_A "    require = ,\n}\n", 0,
	    "P:2: require = must be followed by a value, not \",\"\n" },
	{ "list entries without a comma",
	    RULE_A "    sender = {\"x.example\" \"y.example\"}\n}\n", 0,
	    "P:2: unexpected \"y.example\"\n" },
	{ "file ends in the middle of a setting",
	    RULE_A "    require = \"none\"\n}\nmode =\n\n\n", 0,
	    "P:4: the file ends in the middle of a setting\n" },
	{ "closing brace too many",
	    RULE_A "    require = \"none\"\n}\n}\n", 0,
	    "P:4: this \"}\" closes nothing\n" },
	{ "bad escape in a string",
	    RULE_A "    require = \"none\"\n    reply_text = \"a\\9\"\n}\n", 0,
	    "P:3: bad escape \"\\9\" in a string\n" },
	{ "octal escape too large",
	    RULE_A "    require = \"none\"\n    reply_text = \"\\777\"\n}\n", 0,
	    "P:3: bad escape \"\\777\" in a string (an octal escape goes up "
	    "to \\377)\n" },
	{ "string never closed",
	    RULE_A "    require = \"none\"\n    reply_text = \"abc\n}\n", 0,
	    "P:3: string opened here is never closed\n" },
	{ "string never closed, quotes paired wrongly below it",
	    RULE_A "    sender = {\"a.example}\n    require = \"none\"\n}\n"
	    "rule \"b\" {\n    require = \"none\"\n}\n", 0,
	    "P:2: string opened here is never closed\n" },
	{ "comment never closed",
	    "/* policy\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: comment opened here is never closed with */\n" },
	{ "unquoted pattern with *",
	    RULE_A "    require = \"encrypt\"\n    exclude_ciphers = {*RC4*}\n}\n",
	    0, "P:3: \"*\" outside quotes would be dropped by the parser: put "
	    "patterns in quotes, e.g. \"*RC4*\"\n" },
	{ "${HOME} in a string",
	    RULE_A "    sender = {\"${HOME}\"}\n    require = \"none\"\n}\n", 0,
	    "P:2: \"${\" (environment variable expansion) is not supported "
	    "in a policy file\n" },
	{ "${HOME} unquoted",
	    "socket = ${SOCKET}\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: \"${\" (environment variable expansion) is not supported "
	    "in a policy file\n" },
	{ "NUL byte", NUL_TEXT, sizeof(NUL_TEXT) - 1,
	    "P:2: the file contains a NUL byte\n" },
	{ "key with a bar",
	    RULE_A "    require = \"none\"\n}\nrule|require = \"encrypt\"\n", 0,
	    "P:4: unknown setting \"rule|...\"\n" },

	/* Types. */
	{ "min_cipher_bits not a number",
	    RULE_A "    require = \"encrypt\"\n    min_cipher_bits = \"lots\"\n}\n",
	    0, "P:3: min_cipher_bits: \"lots\" is not a number\n" },
	{ "min_cipher_bits with a sign",
	    RULE_A "    require = \"encrypt\"\n    min_cipher_bits = \"+128\"\n}\n",
	    0, "P:3: min_cipher_bits: \"+128\" is not a number\n" },
	{ "reply_code abc at the top level",
	    "reply_code = \"abc\"\n" RULE_A "    require = \"encrypt\"\n}\n", 0,
	    "P:1: reply_code: \"abc\" is not a refusal code (4xx or 5xx, "
	    "e.g. 554)\n" },
	{ "reply_code abc in a rule",
	    RULE_A "    require = \"encrypt\"\n    reply_code = \"abc\"\n}\n", 0,
	    "P:3: reply_code: \"abc\" is not a refusal code (4xx or 5xx, "
	    "e.g. 554)\n" },
	{ "reply_code 600",
	    RULE_A "    require = \"encrypt\"\n    reply_code = 600\n}\n", 0,
	    "P:3: reply_code: \"600\" is not a refusal code (4xx or 5xx, "
	    "e.g. 554)\n" },
	{ "reply_xcode 5.7",
	    RULE_A "    require = \"encrypt\"\n    reply_xcode = \"5.7\"\n}\n", 0,
	    "P:3: reply_xcode: \"5.7\" is not an enhanced status code (4.x.y "
	    "or 5.x.y, e.g. 5.7.0)\n" },
	{ "listener_port 0",
	    RULE_A "    listener_port = {25, 0}\n    require = \"encrypt\"\n}\n",
	    0, "P:2: listener_port: 0 is out of range (1 to 65535)\n" },
	{ "listener_port 65536",
	    RULE_A "    listener_port = {65536}\n    require = \"encrypt\"\n}\n",
	    0, "P:2: listener_port: 65536 is out of range (1 to 65535)\n" },
	{ "listener_port a name",
	    RULE_A "    listener_port = {\"submission\"}\n    require = "
	    "\"encrypt\"\n}\n",
	    0, "P:2: listener_port: \"submission\" is not a number\n" },
	{ "listener_port empty list",
	    RULE_A "    listener_port = {}\n    require = \"encrypt\"\n}\n",
	    0, "P:1: listener_port in rule \"a\" is an empty list, so the rule "
	    "could never apply\n" },
	{ "listener_addr a name",
	    RULE_A "    listener_addr = {\"mx.example\"}\n    require = "
	    "\"encrypt\"\n}\n",
	    0, "P:2: listener_addr: \"mx.example\": not an IP address\n" },
	{ "tls maybe",
	    RULE_A "    tls = maybe\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: tls: \"maybe\" is not one of true, false\n" },
	{ "tls a list",
	    RULE_A "    tls = {true}\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: tls takes a single value, not a list in braces\n" },
	{ "recipient_delimiter @",
	    "recipient_delimiter = \"+@\"\n" RULE_A "    require = \"none\"\n}\n",
	    0, "P:1: recipient_delimiter: \"+@\" must be printable characters "
	    "other than space, \"@\", \"<\", \">\" and '\"' (as Postfix's, "
	    "e.g. \"+\")\n" },
	{ "recipient_delimiter inside a rule",
	    RULE_A "    recipient_delimiter = \"+\"\n    require = \"none\"\n}\n",
	    0, "P:2: recipient_delimiter can only be set at the top of the "
	    "file, not inside a rule\n" },
	{ "authenticated maybe",
	    RULE_A "    authenticated = maybe\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: authenticated: \"maybe\" is not one of true, false\n" },
	{ "mode loud",
	    "mode = \"loud\"\n" RULE_A "    require = \"encrypt\"\n}\n", 0,
	    "P:1: mode: \"loud\" is not one of enforce, monitor\n" },
	{ "require nope",
	    RULE_A "    require = \"nope\"\n}\n", 0,
	    "P:2: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n" },
	{ "action drop",
	    RULE_A "    require = \"encrypt\"\n    action = \"drop\"\n}\n", 0,
	    "P:3: action: \"drop\" is not one of reject, tempfail, monitor\n" },
	{ "socket tcp:25",
	    "socket = \"tcp:25\"\n" RULE_A "    require = \"encrypt\"\n}\n", 0,
	    "P:1: socket: \"tcp:25\" is not a libmilter socket (unix:/path, "
	    "inet:PORT@HOST, inet6:PORT@HOST)\n" },
	{ "user with a space",
	    "user = \"mail user\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: user: \"mail user\" is not a user name (letters, digits, "
	    "\"_\", \"-\", \".\"; at most 32)\n" },
	{ "group starting with a dash, socket_group empty",
	    "group = \"-g\"\nsocket_group = \"\"\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: group: \"-g\" is not a group name (letters, digits, \"_\", "
	    "\"-\", \".\"; at most 32)\n"
	    "P:2: socket_group: \"\" is not a group name (letters, digits, "
	    "\"_\", \"-\", \".\"; at most 32)\n" },
	{ "user name of 33 characters",
	    "user = \"abcdefghijabcdefghijabcdefghijabc\"\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: user: \"abcdefghijabcdefghijabcdefghijabc\" is not a user "
	    "name (letters, digits, \"_\", \"-\", \".\"; at most 32)\n" },
	{ "socket_mode not octal, then +=",
	    "socket_mode = \"0689\"\nsocket_mode += \"x\"\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: socket_mode: \"0689\" is not an octal mode from 0600 to 0777 "
	    "(e.g. 0660)\n"
	    "P:2: socket_mode takes a single value, so \"+=\" cannot add to "
	    "it\n" },
	{ "socket_mode 0689",
	    "socket_mode = \"0689\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: socket_mode: \"0689\" is not an octal mode from 0600 to 0777 "
	    "(e.g. 0660)\n" },
	{ "socket_mode 0400: the owner cannot write",
	    "socket_mode = 0400\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: socket_mode: \"0400\" is not an octal mode from 0600 to 0777 "
	    "(e.g. 0660)\n" },
	{ "socket_mode 4770 and 60",
	    "socket_mode = 4770\n" RULE_A "    require = \"none\"\n}\n"
	    "socket_mode = 60\n", 0,
	    "P:1: socket_mode is set again further down, which would replace "
	    "this value (write \"+=\" to add to a list)\n"
	    "P:5: socket_mode: \"60\" is not an octal mode from 0600 to 0777 "
	    "(e.g. 0660)\n" },
	{ "socket_mode 04770",
	    "socket_mode = 04770\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: socket_mode: \"04770\" is not an octal mode from 0600 to "
	    "0777 (e.g. 0660)\n" },
	{ "pidfile relative, allow_root not a boolean",
	    "pidfile = \"run/milter.pid\"\nallow_root = \"maybe\"\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: pidfile: \"run/milter.pid\" is not an absolute file name\n"
	    "P:2: allow_root: \"maybe\" is not one of true, false\n" },
	{ "log_accepts not a boolean, and inside a rule",
	    "log_accepts = \"refusals\"\n" RULE_A "    require = \"none\"\n"
	    "    log_accepts = false\n}\n", 0,
	    "P:1: log_accepts: \"refusals\" is not one of true, false\n"
	    "P:4: log_accepts can only be set at the top of the file, not "
	    "inside a rule\n" },
	{ "pidfile naming a directory",
	    "pidfile = \"/run/\"\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: pidfile: \"/run/\" is not an absolute file name\n" },
	{ "stats_file relative, stats_interval out of range",
	    "stats_file = \"milter.prom\"\nstats_interval = 0\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: stats_file: \"milter.prom\" is not an absolute file name\n"
	    "P:2: stats_interval: 0 is out of range (1 to 86400)\n" },
	{ "stats_file a directory, with a control byte; stats_interval a day "
	    "and a second, and not a number",
	    "stats_file = \"/var/lib/\"\nstats_interval = 86401\n"
	    "stats_file = \"/tmp/a\\tb.prom\"\nstats_interval = \"1m\"\n" RULE_A
	    "    require = \"none\"\n}\n", 0,
	    "P:1: stats_file is set again further down, which would replace "
	    "this value (write \"+=\" to add to a list)\n"
	    "P:2: stats_interval is set again further down, which would "
	    "replace this value (write \"+=\" to add to a list)\n"
	    "P:3: stats_file: \"/tmp/a\\x09b.prom\" is not an absolute file name\n"
	    "P:4: stats_interval: \"1m\" is not a number\n" },
	{ "stats_interval without stats_file",
	    "stats_interval = 10\n" RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: stats_interval is set but stats_file is not: there is no "
	    "metrics file to rewrite\n" },
	{ "stats_file inside a rule",
	    RULE_A "    stats_file = \"/tmp/x.prom\"\n    require = \"none\"\n"
	    "}\n", 0,
	    "P:2: stats_file can only be set at the top of the file, not "
	    "inside a rule\n" },
	{ "daemon key inside a rule",
	    RULE_A "    user = \"mail\"\n    require = \"none\"\n}\n", 0,
	    "P:2: user can only be set at the top of the file, not inside a "
	    "rule\n" },
	{ "socket unix:/ without a path",
	    "socket = \"unix:/\"\n" RULE_A "    require = \"encrypt\"\n}\n", 0,
	    "P:1: socket: \"unix:/\" is not a libmilter socket (unix:/path, "
	    "inet:PORT@HOST, inet6:PORT@HOST)\n" },
	{ "reply_text empty",
	    RULE_A "    require = \"encrypt\"\n    reply_text = \"\"\n}\n", 0,
	    "P:3: reply_text: must be 1 to 900 characters long\n" },
	{ "reply_text with a tab",
	    RULE_A "    require = \"encrypt\"\n    reply_text = \"a\\tb\"\n}\n", 0,
	    "P:3: reply_text: only printable ASCII characters may appear in "
	    "an SMTP reply\n" },

	/* Ranges. */
	{ "min_cipher_bits 0",
	    RULE_A "    require = \"encrypt\"\n    min_cipher_bits = 0\n}\n", 0,
	    "P:3: min_cipher_bits: 0 is out of range (1 to 65535)\n" },
	{ "min_cipher_bits 70000",
	    RULE_A "    require = \"encrypt\"\n    min_cipher_bits = 70000\n}\n",
	    0, "P:3: min_cipher_bits: 70000 is out of range (1 to 65535)\n" },
	{ "min_cipher_bits -1",
	    RULE_A "    require = \"encrypt\"\n    min_cipher_bits = -1\n}\n",
	    0, "P:3: min_cipher_bits: -1 is out of range (1 to 65535)\n" },
	{ "min_cipher_bits beyond a long",
	    RULE_A "    require = \"encrypt\"\n"
	    "    min_cipher_bits = 99999999999999999999999\n}\n", 0,
	    "P:3: min_cipher_bits: 99999999999999999999999 is out of range "
	    "(1 to 65535)\n" },

	/* Addresses, names, versions. */
	{ "CIDR 10.0.0.0/33",
	    RULE_A "    client_addr = {\"10.0.0.0/33\"}\n    require = \"none\"\n}\n",
	    0, "P:2: client_addr: \"10.0.0.0/33\": prefix length out of range\n" },
	{ "CIDR 10.0.0.1/8",
	    RULE_A "    client_addr = {\"10.0.0.1/8\"}\n    require = \"none\"\n}\n",
	    0, "P:2: client_addr: \"10.0.0.1/8\": address has bits set beyond "
	    "the prefix length\n" },
	{ "address 300.1.1.1",
	    RULE_A "    client_addr = {\"300.1.1.1\"}\n    require = \"none\"\n}\n",
	    0, "P:2: client_addr: \"300.1.1.1\": not an IP address\n" },
	{ "cert_name a b",
	    RULE_A "    require = \"secure\"\n    cert_name = {\"a b\"}\n}\n", 0,
	    "P:3: cert_name: \"a b\" is not a host name (write \"name\" or "
	    "\".domain\")\n" },
	{ "cert_name a Sendmail placeholder",
	    RULE_A "    require = \"secure\"\n"
	    "    cert_name = {\"BadCertificateTooLong\"}\n}\n", 0,
	    "P:3: cert_name: \"BadCertificateTooLong\" is Sendmail's stand-in "
	    "for a certificate name it could not read: it never matches\n" },
	{ "client_name unknown",
	    RULE_A "    client_name = {\"Unknown\"}\n    require = \"encrypt\"\n}\n",
	    0, "P:2: client_name: \"Unknown\" is Postfix's word for a client "
	    "without a validated name: it never matches\n" },
	{ "helo -x.example",
	    RULE_A "    helo = {\"-x.example\"}\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: helo: \"-x.example\" is not a host name or an address "
	    "literal in brackets\n" },
	{ "client_name a..b",
	    RULE_A "    client_name = {\"a..b\"}\n    require = \"encrypt\"\n}\n",
	    0, "P:2: client_name: \"a..b\" is not a host name (write \"name\" "
	    "or \".domain\")\n" },
	{ "sender @",
	    RULE_A "    sender = {\"@\"}\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: sender: \"@\": nothing before the @\n" },
	{ "sender empty",
	    RULE_A "    sender = {\"\"}\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: sender: \"\": empty pattern\n" },
	{ "recipient user@",
	    RULE_A "    recipient = {\"user@\"}\n    require = \"encrypt\"\n}\n",
	    0, "P:2: recipient: \"user@\": nothing after the @\n" },
	{ "listener empty",
	    RULE_A "    listener = {\"\"}\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: listener: \"\" must be non-empty text without control "
	    "characters\n" },
	{ "min_protocol TLSv1.4",
	    RULE_A "    require = \"encrypt\"\n    min_protocol = \"TLSv1.4\"\n}\n",
	    0, "P:3: min_protocol: \"TLSv1.4\" is not a TLS version (TLSv1, "
	    "TLSv1.1, TLSv1.2, TLSv1.3)\n" },
	{ "min_protocol SSL2",
	    RULE_A "    require = \"encrypt\"\n    min_protocol = \"SSL2\"\n}\n",
	    0, "P:3: min_protocol: \"SSL2\" is not a TLS version (TLSv1, "
	    "TLSv1.1, TLSv1.2, TLSv1.3)\n" },
	{ "min_protocol SSLv3 is not TLS",
	    RULE_A "    require = \"encrypt\"\n    min_protocol = \"SSLv3\"\n}\n",
	    0, "P:3: min_protocol: \"SSLv3\" is not a TLS version (TLSv1, "
	    "TLSv1.1, TLSv1.2, TLSv1.3)\n" },

	/* Contradictions. */
	{ "cert_name with require encrypt",
	    RULE_A "    require = \"encrypt\"\n    cert_name = {\"mx.example\"}\n}\n",
	    0, "P:3: cert_name needs require = \"secure\", not \"encrypt\": "
	    "the name is only compared at that level\n" },
	{ "cert_issuer with require encrypt",
	    RULE_A "    require = \"encrypt\"\n    cert_issuer = {\"CA\"}\n}\n", 0,
	    "P:3: cert_issuer needs require = \"verify\" or stronger, not "
	    "\"encrypt\": the issuer is only known for a verified "
	    "certificate\n" },
	{ "min_protocol with require none",
	    RULE_A "    require = \"none\"\n    min_protocol = \"TLSv1.2\"\n}\n", 0,
	    "P:3: min_protocol needs require = \"encrypt\" or stronger, not "
	    "\"none\"\n" },
	{ "min_cipher_bits and exclude_ciphers with require none",
	    RULE_A "    require = \"none\"\n    min_cipher_bits = 128\n"
	    "    exclude_ciphers = {\"*RC4*\"}\n}\n", 0,
	    "P:3: min_cipher_bits needs require = \"encrypt\" or stronger, not "
	    "\"none\"\n"
	    "P:4: exclude_ciphers needs require = \"encrypt\" or stronger, not "
	    "\"none\"\n" },
	{ "4xx reply_code with action reject",
	    RULE_A "    require = \"encrypt\"\n    action = \"reject\"\n"
	    "    reply_code = 454\n}\n", 0,
	    "P:4: reply_code 454 is a temporary failure but the action is "
	    "\"reject\" (use action = \"tempfail\")\n" },
	{ "4xx reply_code without an action",
	    RULE_A "    require = \"encrypt\"\n    reply_code = 451\n}\n", 0,
	    "P:3: reply_code 451 is a temporary failure but the action is "
	    "\"reject\" (use action = \"tempfail\")\n" },
	{ "5xx reply_code with action tempfail",
	    RULE_A "    require = \"encrypt\"\n    action = \"tempfail\"\n"
	    "    reply_code = 554\n}\n", 0,
	    "P:4: reply_code 554 is a permanent failure but the action is "
	    "\"tempfail\"\n" },
	{ "reply_xcode class not that of reply_code",
	    RULE_A "    require = \"encrypt\"\n    reply_code = 554\n"
	    "    reply_xcode = \"4.7.0\"\n}\n", 0,
	    "P:4: reply_xcode 4.7.0 does not fit reply_code 554 (the first "
	    "digits must agree)\n" },
	{ "reply_xcode 5.x.y with action tempfail",
	    RULE_A "    require = \"encrypt\"\n    action = \"tempfail\"\n"
	    "    reply_xcode = \"5.7.1\"\n}\n", 0,
	    "P:4: reply_xcode 5.7.1 does not fit reply_code 454 (the first "
	    "digits must agree)\n" },
	{ "top-level reply_code 4xx",
	    "reply_code = 450\n" RULE_A "    require = \"encrypt\"\n}\n", 0,
	    "P:1: reply_code: the default refusal must be permanent (5xx); "
	    "give a rule action = \"tempfail\" for 4xx\n" },
	{ "top-level reply_xcode 4.x.y",
	    "reply_xcode = \"4.7.0\"\n" RULE_A "    require = \"encrypt\"\n}\n",
	    0, "P:1: reply_xcode: the default refusal must be permanent "
	    "(5.x.y)\n" },
	{ "a wrong require adds no contradiction",
	    RULE_A "    require = \"encrypt \"\n    min_protocol = \"TLSv1.2\"\n}\n",
	    0, "P:2: require: \"encrypt \" is not one of none, encrypt, verify, "
	    "secure\n" },
	{ "a wrong action adds no contradiction",
	    RULE_A "    require = \"encrypt\"\n    action = \"tempfale\"\n"
	    "    reply_code = 454\n}\n", 0,
	    "P:3: action: \"tempfale\" is not one of reject, tempfail, "
	    "monitor\n" },
	{ "all three bad reply settings reported",
	    RULE_A "    require = \"encrypt\"\n    reply_code = \"abc\"\n"
	    "    reply_xcode = \"x\"\n    reply_text = \"\"\n}\n", 0,
	    "P:3: reply_code: \"abc\" is not a refusal code (4xx or 5xx, "
	    "e.g. 554)\n"
	    "P:4: reply_xcode: \"x\" is not an enhanced status code (4.x.y or "
	    "5.x.y, e.g. 5.7.0)\n"
	    "P:5: reply_text: must be 1 to 900 characters long\n" },

	/* Rule-level problems. */
	{ "require missing",
	    RULE_A "    client_addr = {\"10.0.0.0/8\"}\n}\n", 0,
	    "P:1: rule \"a\" has no require (one of none, encrypt, verify, "
	    "secure)\n" },
	{ "empty rule",
	    "rule \"a\" { }\n", 0,
	    "P:1: rule \"a\" has no require (one of none, encrypt, verify, "
	    "secure)\n" },
	{ "empty list {}",
	    RULE_A "    require = \"none\"\n    client_addr = {}\n}\n", 0,
	    "P:1: client_addr in rule \"a\" is an empty list, so the rule "
	    "could never apply\n" },
	{ "empty list with += and a comment inside",
	    RULE_A "    sender = {\"x.example\"}\n    require = \"none\"\n"
	    "    listener += { # none yet\n    }\n}\n", 0,
	    "P:1: listener in rule \"a\" is an empty list, so the rule "
	    "could never apply\n" },
	{ "empty list in the second rule, same key in a string before",
	    RULE_A "    sender = {\"x.example\"}\n    require = \"none\"\n"
	    "    reply_text = \"helo = {}\"\n}\n"
	    "rule \"b\" { require = \"encrypt\" helo = {\n} }\n", 0,
	    "P:6: helo in rule \"b\" is an empty list, so the rule could "
	    "never apply\n" },
	{ "scalar set twice",
	    RULE_A "    require = \"none\"\n    require = \"encrypt\"\n}\n", 0,
	    "P:2: require is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n" },
	{ "list set twice",
	    RULE_A "    require = \"none\"\n    client_addr = {\"10.0.0.0/8\"}\n"
	    "    client_addr = {\"192.0.2.0/24\", \"::1\"}\n}\n", 0,
	    "P:3: client_addr is set again further down, which would replace "
	    "this value (write \"+=\" to add to a list)\n" },
	{ "top-level setting set three times",
	    "mode = \"enforce\"\nmode = \"monitor\"\nmode = \"enforce\"\n"
	    RULE_A "    require = \"none\"\n}\n", 0,
	    "P:1: mode is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n"
	    "P:2: mode is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n" },
	{ "rule after a catch-all rule",
	    RULE_A "    require = \"encrypt\"\n}\n"
	    "rule \"b\" {\n    sender = {\"x.example\"}\n    require = \"none\"\n}\n",
	    0, "P:4: rule \"b\" can never apply: rule \"a\" above it has no "
	    "selector and so applies to everything\n" },
	{ "a rule with a broken selector is not a catch-all",
	    RULE_A "    client_addr = {\"300.1.1.1\"}\n    require = \"none\"\n}\n"
	    "rule \"b\" {\n    sender = {\"x.example\"}\n    require = \"none\"\n}\n",
	    0, "P:2: client_addr: \"300.1.1.1\": not an IP address\n" },
	{ "a rule with an empty selector list is not a catch-all",
	    RULE_A "    sender = {}\n    require = \"none\"\n}\n"
	    "rule \"b\" {\n    sender = {\"x.example\"}\n    require = \"none\"\n}\n",
	    0, "P:1: sender in rule \"a\" is an empty list, so the rule "
	    "could never apply\n" },
	{ "rule name with a tab",
	    "rule \"a\\tb\" {\n    require = \"none\"\n    sender = {\"x.example\"}\n}\n",
	    0, "P:1: rule name \"a\\x09b\" has characters other than printable "
	    "ASCII\n" },
	{ "rule name with a newline",
	    "rule \"a\nb\" {\n    require = \"none\"\n}\n", 0,
	    "P:2: rule name \"a\\x0ab\" has characters other than printable "
	    "ASCII\n" },
	{ "rule name empty",
	    "rule \"\" {\n    require = \"none\"\n}\n", 0,
	    "P:1: a rule name may not be empty\n" },
	{ "control characters in a value are escaped in the message",
	    RULE_A "    require = \"enc\\nrypt\\001\"\n}\n", 0,
	    "P:2: require: \"enc\\x0arypt\\x01\" is not one of none, encrypt, "
	    "verify, secure\n" },

	/* Whole files. */
	{ "empty file", "", 0,
	    "P:1: the policy has no rule, so it would never refuse anything\n" },
	{ "comment-only file",
	    "# nothing yet\n/* really\n nothing */\n// at all\n", 0,
	    "P:1: the policy has no rule, so it would never refuse anything\n" },
	{ "settings but no rule",
	    "mode = \"monitor\"\nreply_code = 554\n", 0,
	    "P:1: the policy has no rule, so it would never refuse anything\n" },

	/* Line numbers and several problems. */
	{ "line numbers after many comments",
	    "# one\n# two\n// three\n/* four\n\n\n seven */\n"
	    "/* eight */ /* still eight\n nine */ # nine\n"
	    RULE_A					/* 10 */
	    "    # eleven\n"
	    "    client_addr = {\"10.0.0.0/8\", # twelve\n"
	    "        /* thirteen */ \"10.0.0.1/8\", // thirteen\n"
	    "        \"::1\"}\n"
	    "    /* fifteen\n sixteen */ require = \"nope\" # sixteen\n"
	    "}\n", 0,
	    "P:13: client_addr: \"10.0.0.1/8\": address has bits set beyond "
	    "the prefix length\n"
	    "P:16: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n" },
	{ "a value over several lines counts where it ends",
	    "reply_text = \"one\ntwo\\\nthree\"\n"	/* 1 to 3 */
	    RULE_A					/* 4 */
	    "    require = \"encrypt\"\n"
	    "    reply_text = 'a\nb'\n"			/* 6 and 7 */
	    "    min_protocol = \"TLSv9\"\n"
	    "}\n", 0,
	    "P:3: reply_text: only printable ASCII characters may appear in an "
	    "SMTP reply\n"
	    "P:7: reply_text: only printable ASCII characters may appear in an "
	    "SMTP reply\n"
	    "P:8: min_protocol: \"TLSv9\" is not a TLS version (TLSv1, TLSv1.1, "
	    "TLSv1.2, TLSv1.3)\n" },
	{ "several problems, in line order",
	    "mode = \"loud\"\n"
	    RULE_A
	    "    min_protocol = \"TLSv1.2\"\n"
	    "    client_addr = {\"10.0.0.0/33\", \"1.2.3.4\"}\n"
	    "    require = \"none\"\n"
	    "}\n"
	    "rule \"b\" {\n"
	    "    sender = {\"@\"}\n"
	    "}\n"
	    "rule \"a\" {\n"
	    "    recipient = {\"x.example\"}\n"
	    "    require = \"encrypt\"\n"
	    "    min_cipher_bits = 0\n"
	    "}\n", 0,
	    "P:1: mode: \"loud\" is not one of enforce, monitor\n"
	    "P:3: min_protocol needs require = \"encrypt\" or stronger, not "
	    "\"none\"\n"
	    "P:4: client_addr: \"10.0.0.0/33\": prefix length out of range\n"
	    "P:7: rule \"b\" has no require (one of none, encrypt, verify, "
	    "secure)\n"
	    "P:8: sender: \"@\": nothing before the @\n"
	    "P:10: there is already a rule \"a\" (line 2)\n"
	    "P:13: min_cipher_bits: 0 is out of range (1 to 65535)\n" },
	{ "an unknown key after semantic errors: all are reported, and "
	    "those below it",
	    "mode = \"loud\"\n"
	    RULE_A
	    "    client_addr = {\"10.0.0.0/33\"}\n"
	    "    require = \"none\"\n"
	    "}\n"
	    "colour = \"red\"\n"
	    "rule \"b\" {\n"
	    "    require = \"nope\"\n"
	    "}\n", 0,
	    "P:1: mode: \"loud\" is not one of enforce, monitor\n"
	    "P:3: client_addr: \"10.0.0.0/33\": prefix length out of range\n"
	    "P:6: unknown setting \"colour\"\n"
	    "P:8: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n" },
	{ "an unknown key inside a rule: the rule is checked all the same",
	    RULE_A
	    "    client_addr = {\"10.0.0.0/33\"}\n"
	    "    require = \"none\"\n"
	    "}\n"
	    "rule \"b\" {\n"
	    "    require = \"nope\"\n"
	    "    colour = \"red\"\n"
	    "}\n", 0,
	    "P:2: client_addr: \"10.0.0.0/33\": prefix length out of range\n"
	    "P:6: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n"
	    "P:7: unknown setting \"colour\"\n" },
	{ "syntax error inside a rule: that rule is not checked",
	    RULE_A
	    "    client_addr = {\"10.0.0.0/33\"}\n"
	    "    require = \"none\"\n"
	    "}\n"
	    "rule \"b\" {\n"
	    "    require = \"nope\"\n"
	    "    client_addr \"10.0.0.1\"\n"
	    "}\n", 0,
	    "P:2: client_addr: \"10.0.0.0/33\": prefix length out of range\n"
	    "P:7: missing \"=\" after client_addr\n" },
	{ "an unknown key before any rule: the rule is checked",
	    "colour = \"red\"\n" RULE_A "    require = \"nope\"\n}\n", 0,
	    "P:1: unknown setting \"colour\"\n"
	    "P:3: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n" },
	{ "syntax error before any rule: no \"no rule\" message",
	    "mode \"enforce\"\n" RULE_A "    require = \"nope\"\n}\n", 0,
	    "P:1: missing \"=\" after mode\n" },
	{ "unknown keys, a bad value between them: each with its line",
	    "mode = \"enforce\"\n"
	    "colour = \"red\"\n"
	    RULE_A
	    "    client_addr = {\"10.0.0.0/8\"}\n"
	    "    require = \"loose\"\n"
	    "}\n"
	    "rule \"b\" {\n"
	    "    require = \"none\"\n"
	    "    shade += {\"dark\",\n        \"}{\"}\n"
	    "}\n", 0,
	    "P:2: unknown setting \"colour\"\n"
	    "P:5: require: \"loose\" is not one of none, encrypt, verify, "
	    "secure\n"
	    "P:9: unknown setting \"shade\"\n" },
	{ "values freed after a syntax error are not \"set again\"",
	    RULE_A
	    "    client_addr = {\"10.0.0.0/8\", \"192.0.2.0/24\"}\n"
	    "    sender = {\"x.example\"}\n"
	    "    require = \"none\"\n"
	    "    reply_text = \"x\"\n"
	    "}\n"
	    "mode = \"monitor\"\n"
	    "rule \"b\" {\n"
	    "    client_addr = {\"::1\"}\n"
	    "    require = \"none\"\n"
	    "    require\n"
	    "}\n", 0,
	    "P:12: missing \"=\" after require\n" },
	{ "set again, then a syntax error",
	    "mode = \"monitor\"\nmode = \"enforce\"\n"
	    RULE_A "    require = \"none\"\n    require = \"encrypt\"\n"
	    "    bogus\n}\n", 0,
	    "P:1: mode is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n"
	    "P:4: require is set again further down, which would replace this "
	    "value (write \"+=\" to add to a list)\n"
	    "P:6: unknown setting \"bogus\"\n" },
};

static void
test_bad_row(void **state)
{
	const struct bad_row *row = *state;
	size_t len = row->len ? row->len : strlen(row->text);
	char got[8192];
	struct policy *p;

	p = load_text(row->text, len, got, sizeof(got));
	assert_null(p);
	assert_string_equal(got, row->want);
}

/* ------------------------------------------------------------ good files */

struct good_row {
	const char	*label;
	const char	*text;
	void		(*check)(const struct policy *p);
};

static void
check_comment_in_list(const struct policy *p)
{
	assert_int_equal(p->p_nrules, 1);
	assert_int_equal(p->p_rules[0].r_sel[SEL_CLIENT_ADDR].sv_n, 3);
	assert_int_equal(p->p_rules[0].r_require, REQUIRE_NONE);
}

static void
check_scalar_for_list(const struct policy *p)
{
	assert_int_equal(p->p_rules[0].r_sel[SEL_CLIENT_ADDR].sv_n, 1);
	assert_int_equal(p->p_rules[0].r_sel[SEL_CLIENT_ADDR].sv_nets[0].cidr_prefix, 8);
}

static void
check_append(const struct policy *p)
{
	const struct strlist *l = &p->p_rules[0].r_cert_names;

	assert_int_equal(l->sl_n, 3);
	assert_string_equal(l->sl_v[0], "mx1.example.net");
	assert_string_equal(l->sl_v[1], "mx2.example.net");
	assert_string_equal(l->sl_v[2], ".example.net");
}

static void
check_odd_title(const struct policy *p)
{
	assert_int_equal(p->p_nrules, 2);
	assert_string_equal(p->p_rules[0].r_name, "x y\"z {}#//*+");
	assert_string_equal(p->p_rules[1].r_name, "it's ${X}");
	assert_int_equal(p->p_rules[1].r_line, 5);
}

static void
check_single_quotes(const struct policy *p)
{
	assert_string_equal(p->p_rules[0].r_text, "No TLS, no \"mail\"");
	assert_string_equal(p->p_rules[0].r_cert_issuers.sl_v[0],
	    "C=XX, O=Example \\ CA");
}

static void
check_crlf(const struct policy *p)
{
	assert_int_equal(p->p_nrules, 2);
	assert_int_equal(p->p_rules[1].r_line, 6);
	assert_string_equal(p->p_rules[1].r_name, "b");
}

static void
check_lines(const struct policy *p)
{
	assert_int_equal(p->p_nrules, 3);
	assert_int_equal(p->p_rules[0].r_line, 5);	/* the line of its "{" */
	assert_int_equal(p->p_rules[1].r_line, 9);
	assert_int_equal(p->p_rules[2].r_line, 9);
}

/* A '%' is kept as written; the daemon doubles it for the MTA. */
static void
check_percent(const struct policy *p)
{
	assert_string_equal(p->p_rules[0].r_text, "100% TLS, 0% plaintext");
}

static void
check_mta_default(const struct policy *p)
{
	assert_int_equal(policy_mta(p), SESSION_MTA_AUTO);
	assert_true(policy_log_accepts(p));
}

static void
check_quiet_accepts(const struct policy *p)
{
	assert_false(policy_log_accepts(p));
}

static void
check_mta_postfix(const struct policy *p)
{
	assert_int_equal(policy_mta(p), SESSION_MTA_POSTFIX);
	assert_int_equal(p->p_rules[0].r_cert_issuers.sl_n, 1);
}

/* A pin under auto and sendmail, 255-byte DN, UTF-8 and escapes kept. */
static void
check_pins(const struct policy *p)
{
	const struct rule *r = &p->p_rules[0];

	assert_int_equal(policy_mta(p), SESSION_MTA_AUTO);
	assert_int_equal(r->r_ncert_fps, 3);
	assert_int_equal(r->r_cert_fps[0].cf_alg, CERTFP_SHA1);
	assert_int_equal(r->r_cert_fps[1].cf_alg, CERTFP_SHA384);
	assert_int_equal(r->r_cert_fps[2].cf_alg, CERTFP_SHA512);
	assert_int_equal(r->r_cert_fps[2].cf_len, 64);
	assert_string_equal(r->r_cert_issuers.sl_v[0],
	    "/O=Esc + Co, Ltd./\303\234/CN=Esc, CA +1/\303\274");
	assert_int_equal(strlen(r->r_cert_issuers.sl_v[1]), 255);
}

static void
check_daemon_short(const struct policy *p)
{
	assert_int_equal(policy_socket_mode(p), 0660);
	assert_true(policy_allow_root(p));
	assert_string_equal(policy_user(p), "1001");
	assert_null(policy_group(p));
	assert_null(policy_pidfile(p));
	assert_null(policy_stats_file(p));
	assert_int_equal(policy_stats_interval(p), POLICY_STATS_INTERVAL);
}

static const struct good_row good_rows[] = {
	{ "mta defaults to auto", RULE_A "    require = \"none\"\n}\n",
	    check_mta_default },
	{ "log_accepts false", "log_accepts = false\n" RULE_A
	    "    require = \"none\"\n}\n", check_quiet_accepts },
	{ "mta postfix with a CN issuer",
	    "mta = \"postfix\"\n" RULE_A "    require = \"verify\"\n"
	    "    cert_issuer = {\"Example CA\"}\n}\n", check_mta_postfix },
	{ "pins of three algorithms, DN issuers",
	    RULE_A "    require = \"verify\"\n"
	    "    cert_fingerprint = {\"SHA1:" FP16 ":01:02:03:04\",\n"
	    "        \"sha384:" FP32 FP16 "\", \"sha512:" FP32 FP32 "\"}\n"
	    "    cert_issuer = {\"/O=Esc + Co, Ltd./\303\234/CN=Esc, CA +1/"
	    "\303\274\", \"" DN255 "\"}\n}\n", check_pins },
	{ "socket_mode without its leading 0, a numeric user, allow_root yes",
	    "socket_mode = \"660\"\nuser = 1001\nallow_root = yes\n" RULE_A
	    "    require = \"none\"\n}\n", check_daemon_short },
	{ "a percent sign in reply_text",
	    RULE_A "    require = \"encrypt\"\n"
	    "    reply_text = \"100% TLS, 0% plaintext\"\n}\n", check_percent },
	{ "comments inside a list work",
	    RULE_A
	    "    client_addr = {\"10.0.0.0/8\", # the office\n"
	    "                   \"192.0.2.0/24\" // the lab\n"
	    "                   /* and */, \"::1\" /* the host */}\n"
	    "    require = \"none\" # nothing\n"
	    "}\n", check_comment_in_list },
	{ "a single value for a list option",
	    RULE_A "    client_addr = \"10.0.0.0/8\"\n    require = \"none\"\n}\n",
	    check_scalar_for_list },
	{ "+= adds to a list",
	    RULE_A "    require = \"secure\"\n"
	    "    cert_name = {\"mx1.example.net\"}\n"
	    "    cert_name += {\"mx2.example.net\"}\n"
	    "    cert_name += \".example.net\"\n}\n", check_append },
	{ "rule names with odd printable characters",
	    "rule \"x y\\\"z {}#//*+\" {\n"
	    "    sender = {\"x.example\"}\n    require = \"none\"\n}\n"
	    "rule 'it\\'s ${X}' {\n    require = \"none\"\n}\n", check_odd_title },
	{ "single-quoted strings",
	    RULE_A "    require = 'verify'\n"
	    "    reply_text = 'No TLS, no \"mail\"'\n"
	    "    cert_issuer = {'C=XX, O=Example \\ CA'}\n}\n",
	    check_single_quotes },
	{ "CRLF line ends",
	    "# policy\r\nrule \"a\" {\r\n    sender = {\"x.example\"}\r\n"
	    "    require = \"none\"\r\n}\r\nrule \"b\" {\r\n"
	    "    require = \"encrypt\"\r\n}\r\n", check_crlf },
	{ "rule lines after comments, two rules on one line",
	    "# one\n/* two\n three */\nrule \"a\" # four\n{\n"
	    "    sender = {\"x.example\"}\n    require = \"none\"\n"
	    "}\nrule \"b\" { sender = \"y.example\" require = \"none\" } "
	    "rule \"c\" { require = \"encrypt\" }\n", check_lines },
};

static void
test_good_row(void **state)
{
	const struct good_row *row = *state;
	struct policy *p;
	char got[4096];

	p = load_text(row->text, strlen(row->text), got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	row->check(p);
	policy_free(p);
}

/* ------------------------------------------------------------ warnings */

/* A policy that loads, with the warnings it must give (joined as join()
 * does, path as "P"), and no problem. */
struct warn_row {
	const char	*label;
	const char	*text;
	const char	*want;
};

#define CIPHER_WHY "is no cipher name the MTAs report, so it excludes " \
	"nothing (patterns match the whole OpenSSL name, e.g. " \
	"\"ECDHE-RSA-AES256-GCM-SHA384\")"

static const struct warn_row warn_rows[] = {
	{ "a cipher pattern without wildcard that is no cipher name",
	    RULE_A "    require = \"encrypt\"\n"
	    "    exclude_ciphers = {\"RC4\", \"DES-CBC3-SHA\", \"*NULL*\",\n"
	    "        \"TLS_AES_128_GCM_SHA256\", \"rc4-md5\", \"Foo\"}\n}\n",
	    "P:3: warning: exclude_ciphers: \"RC4\" " CIPHER_WHY
	    ": did you mean \"*RC4*\"?\n"
	    "P:4: warning: exclude_ciphers: \"Foo\" " CIPHER_WHY "\n" },
	{ "entries given twice, after normalisation",
	    RULE_A "    client_addr = {\"192.0.2.1\", \"10.0.0.0/8\",\n"
	    "        \"192.0.2.1/32\"}\n"
	    "    sender = {\"a@B.example\", \"a@b.example.\"}\n"
	    "    client_name = {\".Example.ORG\", \".example.org\"}\n"
	    "    listener_port = {25, 587, 25}\n"
	    "    require = \"secure\"\n"
	    "    exclude_ciphers = {\"*RC4*\", \"*rc4*\"}\n"
	    "    cert_name = {\"mx.example\", \"MX.example.\"}\n"
	    "    cert_issuer = {\"CA\", \"CA\"}\n"
	    "    cert_fingerprint = {\"sha1:00112233445566778899AABBCCDDEEFF00112233\",\n"
	    "        \"SHA1:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33\"}\n"
	    "}\n",
	    "P:3: warning: client_addr: \"192.0.2.1/32\" in rule \"a\" is the "
	    "same entry as \"192.0.2.1\" (line 2)\n"
	    "P:4: warning: sender: \"a@b.example.\" in rule \"a\" is the same "
	    "entry as \"a@B.example\" (line 4)\n"
	    "P:5: warning: client_name: \".example.org\" in rule \"a\" is the "
	    "same entry as \".Example.ORG\" (line 5)\n"
	    "P:6: warning: listener_port: \"25\" in rule \"a\" is the same "
	    "entry as \"25\" (line 6)\n"
	    "P:8: warning: exclude_ciphers: \"*rc4*\" in rule \"a\" is the "
	    "same entry as \"*RC4*\" (line 8)\n"
	    "P:9: warning: cert_name: \"MX.example.\" in rule \"a\" is the "
	    "same entry as \"mx.example\" (line 9)\n"
	    "P:10: warning: cert_issuer: \"CA\" in rule \"a\" is the same "
	    "entry as \"CA\" (line 10)\n"
	    "P:12: warning: cert_fingerprint: \"SHA1:00:11:22:33:44:55:66:77:"
	    "88:99:aa:bb:cc:dd:ee:ff:00:11:22:33\" in rule \"a\" is the same "
	    "entry as \"sha1:00112233445566778899AABBCCDDEEFF00112233\" "
	    "(line 11)\n" },
	{ "a rule below one with the same selectors",
	    "rule \"m\" {\n    sender = {\"a.example\"}\n"
	    "    require = \"verify\"\n    action = \"monitor\"\n}\n"
	    "rule \"b\" {\n    sender = {\"b.example\", \"A.example\"}\n"
	    "    listener_port = {25}\n    require = \"encrypt\"\n}\n"
	    "rule \"c\" {\n    listener_port = {25}\n"
	    "    sender = {\"a.example\", \"b.example.\"}\n"
	    "    require = \"none\"\n}\n"
	    "rule \"d\" {\n    sender = {\"a.example\"}\n"
	    "    require = \"none\"\n}\n"
	    "rule \"e\" {\n    sender = {\"a.example\", \"b.example\"}\n"
	    "    require = \"none\"\n}\n"
	    "rule \"f\" {\n    sender = {\"a.example\", \"b.example\"}\n"
	    "    listener_port = {25}\n    require = \"secure\"\n"
	    "    action = \"monitor\"\n}\n",
	    "P:11: warning: rule \"c\" can never apply: rule \"b\" (line 6) "
	    "has the same selectors and always decides first\n"
	    "P:24: warning: rule \"f\" can never apply: rule \"b\" (line 6) "
	    "has the same selectors and always decides first\n" },
	{ "a monitor rule shadows nothing",
	    "rule \"m\" {\n    sender = {\"a.example\"}\n"
	    "    require = \"verify\"\n    action = \"monitor\"\n}\n"
	    "rule \"n\" {\n    sender = {\"a.example\"}\n"
	    "    require = \"encrypt\"\n}\n", "" },
};

/* Join lines[0..n-1] as join() does. */
static char *
join_lines(char **lines, size_t n, const char *path, char *out,
    size_t len)
{
	struct conf_errors e = { lines, n, NULL, 0 };

	return join(&e, path, out, len);
}

static void
test_warn_row(void **state)
{
	const struct warn_row *row = *state;
	struct conf_errors e;
	struct policy *p;
	char got[4096];
	FILE *fp;

	assert_non_null(fp = fopen(tmppath, "w"));
	fputs(row->text, fp);
	assert_int_equal(fclose(fp), 0);
	p = conf_load(tmppath, &e);
	assert_string_equal(join(&e, tmppath, got, sizeof(got)), "");
	assert_non_null(p);
	assert_string_equal(join_lines(e.ce_warnings, e.ce_nwarnings,
	    tmppath, got, sizeof(got)), row->want);
	conf_errors_free(&e);
	policy_free(p);
	assert_int_equal(unlink(tmppath), 0);
}

/* A file with a problem still has its warnings, apart. */
static void
test_warn_with_problem(void **state)
{
	struct conf_errors e;
	char got[1024];
	FILE *fp;

	(void)state;
	assert_non_null(fp = fopen(tmppath, "w"));
	fputs(RULE_A "    require = \"nope\"\n"
	    "    exclude_ciphers = {\"RC4\"}\n}\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(conf_load(tmppath, &e));
	assert_string_equal(join(&e, tmppath, got, sizeof(got)),
	    "P:2: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n");
	assert_string_equal(join_lines(e.ce_warnings, e.ce_nwarnings,
	    tmppath, got, sizeof(got)), "P:3: warning: exclude_ciphers: "
	    "\"RC4\" " CIPHER_WHY ": did you mean \"*RC4*\"?\n");
	conf_errors_free(&e);
	assert_int_equal(unlink(tmppath), 0);
}

/* ------------------------------------------------------------ the sample */

static void
check_sample_partner(const struct rule *r)
{
	assert_int_equal(r->r_sel[SEL_SENDER].sv_n, 2);
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[0].ap_kind, ADDRPAT_DOMAIN);
	assert_string_equal(r->r_sel[SEL_SENDER].sv_addrs[0].ap_domain, "partner.example");
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[1].ap_kind, ADDRPAT_SUBDOMAIN);
	assert_int_equal(r->r_require, REQUIRE_SECURE);
	assert_int_equal(r->r_min_protocol, TLSVERSION_TLS1_2);
	assert_int_equal(r->r_min_cipher_bits, 128);
	assert_int_equal(r->r_cert_names.sl_n, 2);
	assert_string_equal(r->r_cert_names.sl_v[0], "mx1.partner.example");
	assert_string_equal(r->r_cert_names.sl_v[1], ".partner.example");
	assert_int_equal(r->r_cert_issuers.sl_n, 1);
	assert_string_equal(r->r_cert_issuers.sl_v[0], "Partner Issuing CA");
	assert_int_equal(r->r_action, ACTION_REJECT);
	assert_string_equal(r->r_code, "554");
	assert_string_equal(r->r_xcode, "5.7.0");
	assert_string_equal(r->r_text, "Command refused due to lack of security");
}

/* etc/tls-policy-milter.conf loads, and says what its comments say. */
static void
test_sample(void **state)
{
	const char *top = getenv("top_srcdir");
	const struct rule *r;
	struct policy *p;
	char path[4096], got[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/etc/tls-policy-milter.conf",
	    top != NULL && *top != '\0' ? top : ".");
	p = load_path(path, got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	assert_string_equal(policy_socket(p),
	    "unix:/run/tls-policy-milter/milter.sock");
	assert_int_equal(policy_mode(p), POLICY_ENFORCE);
	assert_int_equal(policy_nrules(p), 4);
	assert_string_equal(p->p_rules[0].r_name, "localhost");
	assert_non_null(r = testutil_rule(p, "localhost"));
	assert_int_equal(r->r_sel[SEL_CLIENT_ADDR].sv_n, 2);
	assert_int_equal(r->r_require, REQUIRE_NONE);
	assert_non_null(r = testutil_rule(p, "partner"));
	check_sample_partner(r);
	assert_non_null(r = testutil_rule(p, "finance"));
	assert_int_equal(r->r_sel[SEL_RECIPIENT].sv_n, 1);
	assert_string_equal(r->r_sel[SEL_RECIPIENT].sv_addrs[0].ap_domain, "finance.example.org");
	assert_int_equal(r->r_require, REQUIRE_ENCRYPT);
	assert_true(r->r_exclude_ciphers.sl_n > 0);
	assert_string_equal(r->r_exclude_ciphers.sl_v[0], "*RC4*");
	assert_non_null(r = testutil_rule(p, "submission"));
	assert_int_equal(AUTHENTICATED(r), 1);
	assert_int_equal(r->r_require, REQUIRE_ENCRYPT);
	assert_int_equal(r->r_action, ACTION_TEMPFAIL);
	assert_string_equal(r->r_code, "454");
	assert_string_equal(r->r_xcode, "4.7.0");
	policy_free(p);
}

/* ------------------------------------------------------------ every key */

static const char every_key[] =
    "socket      = \"inet:8891@127.0.0.1\"\n"		/* 1 */
    "mode        = \"monitor\"  mta = \"sendmail\"\n"
    "reply_code  = 550\n"
    "reply_xcode = \"5.7.1\"\n"
    "reply_text  = \"TLS required\"\n"
    "\n"
    "rule \"all\" {\n"						/* 7 */
    "    client_addr     = {\"192.0.2.0/24\", \"2001:db8::/32\"}\n"
    "    client_name     = {\"MX.Example.NET.\", \".example.net\"}\n"
    "    helo            = {\"mx.example.net\", \"[192.0.2.1]\"}\n"
    "    sender          = {\"<>\", \"a@example.net\", \"example.net\",\n"
    "                       \".example.net\"}\n"
    "    recipient       = {\"b@example.org\"}\n"
    "    listener        = {\"smtpd\"}\n"
    "    authenticated   = false\n"
    "    require         = \"secure\"\n"
    "    min_protocol    = \"TLS1.2\"\n"
    "    min_cipher_bits = 128\n"
    "    exclude_ciphers = {\"*RC4*\", \"*NULL*\"}\n"
    "    cert_name       = {\"mx.example.net\"}\n"
    "    cert_issuer     = {\"Example CA\", \"/O=Example/CN=Example CA\"}"
    "  cert_fingerprint = {\"sha256:" FP32 "\", \"MD5:" FP16 "\"}\n"
    "    action          = \"tempfail\"\n"
    "    reply_code      = 451\n"
    "    reply_xcode     = \"4.7.1\"\n"
    "    reply_text      = \"Try again with TLS\"\n"
    "}\n"
    "rule \"second\" { sender = {\"x.example\"} require = \"encrypt\" }\n" /* 27 */
    "rule \"third\" {\n"
    "    authenticated = yes\n"
    "    require = \"verify\"\n"
    "    action = \"monitor\"\n"
    "}\n"
    "user         = \"tls-policy-milter\"\n"
    "group        = \"mail\"\n"
    "allow_root   = false\n"
    "socket_mode  = 0600\n"
    "socket_group = \"postfix\"\n"
    "pidfile      = \"/run/tls-policy-milter/milter.pid\"\n"
    "stats_file   = \"/var/lib/prometheus/node-exporter/tpm.prom\"\n"
    "stats_interval = 15\n";

static void
check_every_key_first(const struct rule *r)
{
	assert_string_equal(r->r_name, "all");
	assert_int_equal(r->r_line, 7);
	assert_int_equal(r->r_sel[SEL_CLIENT_ADDR].sv_n, 2);
	assert_int_equal(r->r_sel[SEL_CLIENT_ADDR].sv_nets[0].cidr_prefix, 24);
	assert_int_equal(r->r_sel[SEL_CLIENT_ADDR].sv_nets[1].cidr_prefix, 32);
	assert_int_equal(r->r_sel[SEL_CLIENT_NAME].sv_n, 2);
	assert_string_equal(r->r_sel[SEL_CLIENT_NAME].sv_names[0], "mx.example.net");
	assert_int_equal(r->r_sel[SEL_HELO].sv_n, 2);
	assert_int_equal(r->r_sel[SEL_SENDER].sv_n, 4);
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[0].ap_kind, ADDRPAT_NULL);
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[1].ap_kind, ADDRPAT_ADDRESS);
	assert_string_equal(r->r_sel[SEL_SENDER].sv_addrs[1].ap_local, "a");
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[2].ap_kind, ADDRPAT_DOMAIN);
	assert_int_equal(r->r_sel[SEL_SENDER].sv_addrs[3].ap_kind, ADDRPAT_SUBDOMAIN);
	assert_int_equal(r->r_sel[SEL_RECIPIENT].sv_n, 1);
	assert_string_equal(r->r_sel[SEL_LISTENER].sv_names[0], "smtpd");
	assert_int_equal(AUTHENTICATED(r), 0);
	assert_int_equal(r->r_require, REQUIRE_SECURE);
	assert_int_equal(r->r_min_protocol, TLSVERSION_TLS1_2);
	assert_int_equal(r->r_min_cipher_bits, 128);
	assert_int_equal(r->r_exclude_ciphers.sl_n, 2);
	assert_string_equal(r->r_cert_names.sl_v[0], "mx.example.net");
	assert_string_equal(r->r_cert_issuers.sl_v[0], "Example CA");
	assert_string_equal(r->r_cert_issuers.sl_v[1], "/O=Example/CN=Example CA");
	assert_int_equal(r->r_ncert_fps, 2);
	assert_int_equal(r->r_cert_fps[0].cf_alg, CERTFP_SHA256);
	assert_int_equal(r->r_cert_fps[0].cf_len, 32);
	assert_int_equal(r->r_cert_fps[0].cf_md[0], 0xf6);
	assert_int_equal(r->r_cert_fps[0].cf_md[31], 0xab);
	assert_int_equal(r->r_cert_fps[1].cf_alg, CERTFP_MD5);
	assert_int_equal(r->r_cert_fps[1].cf_md[1], 0xa9);
	assert_int_equal(r->r_cert_fps[1].cf_md[15], 0xdd);
	assert_int_equal(r->r_action, ACTION_TEMPFAIL);
	assert_string_equal(r->r_code, "451");
	assert_string_equal(r->r_xcode, "4.7.1");
	assert_string_equal(r->r_text, "Try again with TLS");
}

/* A file using every key loads, and the file-wide reply is the default. */
static void
test_every_key(void **state)
{
	const struct rule *r;
	struct policy *p;
	char got[4096];

	(void)state;
	p = load_text(every_key, strlen(every_key), got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	assert_string_equal(policy_socket(p), "inet:8891@127.0.0.1");
	assert_int_equal(policy_mode(p), POLICY_MONITOR);
	assert_int_equal(policy_mta(p), SESSION_MTA_SENDMAIL);
	assert_int_equal(policy_nrules(p), 3);
	check_every_key_first(&p->p_rules[0]);
	assert_string_equal(policy_user(p), "tls-policy-milter");
	assert_string_equal(policy_group(p), "mail");
	assert_false(policy_allow_root(p));
	assert_int_equal(policy_socket_mode(p), 0600);
	assert_string_equal(policy_socket_group(p), "postfix");
	assert_string_equal(policy_pidfile(p), "/run/tls-policy-milter/milter.pid");
	assert_string_equal(policy_stats_file(p),
	    "/var/lib/prometheus/node-exporter/tpm.prom");
	assert_int_equal(policy_stats_interval(p), 15);
	assert_string_equal(policy_rule_name(p, 2), "third");
	assert_null(policy_rule_name(p, 3));
	r = &p->p_rules[1];
	assert_int_equal(r->r_line, 27);
	assert_int_equal(AUTHENTICATED(r), -1);
	assert_int_equal(r->r_min_protocol, TLSVERSION_UNKNOWN);
	assert_int_equal(r->r_min_cipher_bits, 0);
	assert_int_equal(r->r_action, ACTION_REJECT);
	assert_string_equal(r->r_code, "550");
	assert_string_equal(r->r_xcode, "5.7.1");
	assert_string_equal(r->r_text, "TLS required");
	r = &p->p_rules[2];
	assert_int_equal(AUTHENTICATED(r), 1);
	assert_int_equal(r->r_require, REQUIRE_VERIFY);
	assert_int_equal(r->r_action, ACTION_MONITOR);
	assert_string_equal(r->r_code, "550");
	policy_free(p);
}

/* ------------------------------------------------------------ include */

/* A file (or, name ending in "/", a directory) of an include row. */
struct inc_file {
	const char	*name;		/* under tmpdir */
	const char	*text;
	mode_t		 mode;		/* 0: 0644 (0755 for a directory) */
};

struct include_row {
	const char	*label;
	struct inc_file	 files[12];
	const char	*text;		/* written as tmpdir/policy.conf */
	const char	*want;		/* problems, P the main file, T tmpdir;
					 * "" when it loads */
	const char	*rules;		/* then its rules' names, "a b c" */
};

/* Replace each "tmpdir/" in s by "T/" (in place). */
static void
tmpdir_as_t(char *s)
{
	size_t n = strlen(tmpdir);
	char *p;

	while ((p = strstr(s, tmpdir)) != NULL && p[n] == '/') {
		p[0] = 'T';
		memmove(p + 1, p + n, strlen(p + n) + 1);
	}
}

/* Write the files of a row (in order: directories first). */
static void
inc_put(const struct inc_file *files)
{
	char path[512];
	FILE *fp;

	for (; files->name != NULL; files++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files->name);
		if (path[strlen(path) - 1] == '/') {
			assert_int_equal(mkdir(path, 0700), 0);
			assert_int_equal(chmod(path, files->mode ? files->mode :
			    0755), 0);
			continue;
		}
		assert_non_null(fp = fopen(path, "w"));
		fputs(files->text, fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(chmod(path, files->mode ? files->mode : 0644),
		    0);
	}
}

/* Remove them again (the last first, so directories are empty). */
static void
inc_remove(const struct inc_file *files)
{
	char path[512];
	size_t n = 0;

	while (files[n].name != NULL)
		n++;
	while (n-- > 0) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[n].name);
		if (path[strlen(path) - 1] == '/')
			assert_int_equal(rmdir(path), 0);
		else
			assert_int_equal(unlink(path), 0);
	}
}

/* The rules' names, "a b c". */
static char *
rule_names(const struct policy *p, char *out, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < p->p_nrules && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "",
		    p->p_rules[i].r_name);
	return out;
}

#define REQ_NONE	"    require = \"none\"\n}\n"
#define RULE_S(n)	"rule \"" n "\" {\n    sender = {\"" n ".example\"}\n"

static const struct include_row include_rows[] = {
	{ "one file, then the main file's own rule",
	    { { "one.conf", RULE_S("one") REQ_NONE, 0 } },
	    "include \"one.conf\"\nrule \"main\" {\n" REQ_NONE, "", "one main" },
	{ "a glob: every match, in byte order of the names",
	    { { "d/", NULL, 0 }, { "d/b.conf", RULE_S("b") REQ_NONE, 0 },
	      { "d/a.conf", RULE_S("a") REQ_NONE, 0 },
	      { "d/B.conf", RULE_S("B") REQ_NONE, 0 },
	      { "d/10.conf", RULE_S("ten") REQ_NONE, 0 },
	      { "d/skip.txt", "junk", 0 } },
	    "# partners\n  include \"d/*.conf\"   # one file each\n"
	    "rule \"rest\" {\n" REQ_NONE, "", "ten B a b rest" },
	{ "nested, each relative name from its own file's directory",
	    { { "n/", NULL, 0 }, { "n/m/", NULL, 0 },
	      { "n/first.conf", "include \"m/second.conf\"\n"
		RULE_S("first") REQ_NONE, 0 },
	      { "n/m/second.conf", RULE_S("second") REQ_NONE, 0 } },
	    "include \"n/first.conf\"\nrule \"main\" {\n" REQ_NONE, "",
	    "second first main" },
	{ "an absolute name",
	    { { "abs.conf", RULE_S("abs") REQ_NONE, 0 } },
	    "include \"@/abs.conf\"\nrule \"main\" {\n" REQ_NONE, "",
	    "abs main" },
	{ "settings inside a rule, items inside a list",
	    { { "sel.conf", "    client_addr = {\"192.0.2.0/24\"}\n", 0 },
	      { "list.conf", "\"b.example\",\n\"c.example\"", 0 } },
	    "rule \"r\" {\n    include \"sel.conf\"\n    sender = {\n"
	    "        \"a.example\",\n        include \"list.conf\"\n    }\n"
	    "    require = \"encrypt\"\n}\n", "", "r" },
	{ "a file without a last newline, an empty file",
	    { { "nonl.conf", "mode = \"monitor\"", 0 },
	      { "empty.conf", "", 0 } },
	    "include \"nonl.conf\"\ninclude \"empty.conf\"\n"
	    "rule \"main\" {\n" REQ_NONE, "", "main" },

	/* Problems: at the included file's line, or at the include line. */
	{ "problems in an included file at its lines, the main file's after",
	    { { "bad.conf", "# the partner\n" RULE_S("a")
		"    require = \"bogus\"\n}\n", 0 } },
	    "mode = \"monitor\"\ninclude \"bad.conf\"\n"
	    "rule \"z\" {\n    require = \"nope\"\n}\n",
	    "T/bad.conf:4: require: \"bogus\" is not one of none, encrypt, "
	    "verify, secure\n"
	    "P:4: require: \"nope\" is not one of none, encrypt, verify, "
	    "secure\n", NULL },
	{ "a syntax error in an included file",
	    { { "syn.conf", "rule \"a\" {\n    bogus = 1\n}\n", 0 } },
	    "\n\ninclude \"syn.conf\"\n",
	    "T/syn.conf:1: rule \"a\" has no require (one of none, encrypt, "
	    "verify, secure)\n"
	    "T/syn.conf:2: unknown setting \"bogus\"\n", NULL },
	{ "a comment never closed in an included file",
	    { { "open.conf", "\n/* open\n", 0 } },
	    "include \"open.conf\"\nrule \"z\" {\n" REQ_NONE,
	    "T/open.conf:2: comment opened here is never closed with */\n",
	    NULL },
	{ "a rule name used in two files",
	    { { "dup.conf", RULE_S("a") REQ_NONE, 0 } },
	    RULE_S("a") REQ_NONE "include \"dup.conf\"\n",
	    "T/dup.conf:1: there is already a rule \"a\" (T/policy.conf:1)\n",
	    NULL },
	{ "a missing file",
	    { { NULL, NULL, 0 } },
	    "rule \"z\" {\n" REQ_NONE "include \"missing.conf\"\n",
	    "P:4: included file T/missing.conf: cannot open: No such file or "
	    "directory\n", NULL },
	{ "a glob that matches nothing",
	    { { "empty.d/", NULL, 0 } },
	    "include \"empty.d/*.conf\"\nrule \"z\" {\n" REQ_NONE,
	    "P:1: include \"T/empty.d/*.conf\" matches no file (a policy must "
	    "not silently lose rules: add a file or remove the include)\n",
	    NULL },
	{ "a glob in a missing directory",
	    { { NULL, NULL, 0 } },
	    "include \"none.d/*.conf\"\nrule \"z\" {\n" REQ_NONE,
	    "P:1: include \"T/none.d/*.conf\": cannot read directory "
	    "T/none.d: No such file or directory\n", NULL },
	{ "a directory matched by a glob",
	    { { "g.d/", NULL, 0 }, { "g.d/sub.conf/", NULL, 0 } },
	    "include \"g.d/*\"\nrule \"z\" {\n" REQ_NONE,
	    "P:1: included file T/g.d/sub.conf: not a regular file\n", NULL },
	{ "an include loop",
	    { { "loop1.conf", "\ninclude \"loop2.conf\"\n", 0 },
	      { "loop2.conf", "include \"loop1.conf\"\n", 0 } },
	    "include \"loop1.conf\"\nrule \"z\" {\n" REQ_NONE,
	    "T/loop2.conf:1: included file T/loop1.conf: it is already being "
	    "read (an include loop)\n", NULL },
	{ "the main file including itself",
	    { { NULL, NULL, 0 } },
	    "rule \"z\" {\n" REQ_NONE "include \"policy.conf\"\n",
	    "P:4: included file T/policy.conf: it is already being read (an "
	    "include loop)\n", NULL },
	{ "includes nested too deep",
	    { { "d1.conf", "include \"d2.conf\"\n", 0 },
	      { "d2.conf", "include \"d3.conf\"\n", 0 },
	      { "d3.conf", "include \"d4.conf\"\n", 0 },
	      { "d4.conf", "include \"d5.conf\"\n", 0 },
	      { "d5.conf", "include \"d6.conf\"\n", 0 },
	      { "d6.conf", "include \"d7.conf\"\n", 0 },
	      { "d7.conf", "include \"d8.conf\"\n", 0 },
	      { "d8.conf", "include \"d9.conf\"\n", 0 },
	      { "d9.conf", "rule \"z\" {\n" REQ_NONE, 0 } },
	    "include \"d1.conf\"\n",
	    "T/d8.conf:1: included file T/d9.conf: includes nest more than 8 "
	    "deep\n", NULL },
	{ "an included file its group may write",
	    { { "gw.conf", RULE_S("a") REQ_NONE, 0664 } },
	    "include \"gw.conf\"\n",
	    "P:1: included file T/gw.conf: may be written by its group, not "
	    "only by its owner, who could lift the policy (chmod go-w it)\n",
	    NULL },
	{ "an included file in a directory anyone may write",
	    { { "ww.d/", NULL, 0777 },
	      { "ww.d/a.conf", RULE_S("a") REQ_NONE, 0 } },
	    "include \"ww.d/*.conf\"\n",
	    "P:1: included file T/ww.d/a.conf: directory T/ww.d may be "
	    "written by others, who could replace the file (chmod go-w "
	    "T/ww.d)\n", NULL },
	{ "include lines written wrong",
	    { { NULL, NULL, 0 } },
	    "include\ninclude \"\"\ninclude \"a.conf\" \"b.conf\"\n"
	    "include = \"a.conf\"\ninclude \"a\\\\b.conf\"\n"
	    "rule \"z\" {\n" REQ_NONE,
	    "P:1: include must be followed by one file name in double quotes, "
	    "without backslashes, alone on its line: include \"PATH\"\n"
	    "P:2: include must be followed by one file name in double quotes, "
	    "without backslashes, alone on its line: include \"PATH\"\n"
	    "P:3: include must be followed by one file name in double quotes, "
	    "without backslashes, alone on its line: include \"PATH\"\n"
	    "P:4: include must be followed by one file name in double quotes, "
	    "without backslashes, alone on its line: include \"PATH\"\n"
	    "P:5: include must be followed by one file name in double quotes, "
	    "without backslashes, alone on its line: include \"PATH\"\n",
	    NULL },
	{ "include not at the start of a line",
	    { { NULL, NULL, 0 } },
	    "rule \"z\" { include \"a.conf\"\n" REQ_NONE,
	    "P:1: include must stand at the start of its own line: include "
	    "\"PATH\"\n", NULL },
	{ "include in a comment or a string is not one",
	    { { NULL, NULL, 0 } },
	    "# include \"a.conf\"\n/*\ninclude \"b.conf\"\n*/\n"
	    "rule \"z\" {\n    reply_text = \"x\ninclude \\\"c.conf\\\"\"\n"
	    REQ_NONE, "P:7: reply_text: only printable ASCII characters may "
	    "appear in an SMTP reply\n", NULL },
};

static void
test_include_row(void **state)
{
	const struct include_row *row = *state;
	char text[4096], got[8192], names[512], *at;
	struct policy *p;

	snprintf(text, sizeof(text), "%s", row->text);
	if ((at = strchr(text, '@')) != NULL) {	/* "@" is tmpdir */
		memmove(at + strlen(tmpdir), at + 1, strlen(at));
		memcpy(at, tmpdir, strlen(tmpdir));
	}
	inc_put(row->files);
	p = load_text(text, strlen(text), got, sizeof(got));
	inc_remove(row->files);
	tmpdir_as_t(got);
	assert_string_equal(got, row->want);
	if (row->want[0] != '\0') {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_string_equal(rule_names(p, names, sizeof(names)), row->rules);
	if (strcmp(row->label, "settings inside a rule, items inside a list")
	    == 0) {
		assert_int_equal(p->p_rules[0].r_sel[SEL_CLIENT_ADDR].sv_n, 1);
		assert_int_equal(p->p_rules[0].r_sel[SEL_SENDER].sv_n, 3);
	}
	policy_free(p);
}

/* A second load reads the included files again: what changed is seen. */
static void
test_include_reload(void **state)
{
	static const struct inc_file dir[] = { { "r.d/", NULL, 0 },
		{ NULL, NULL, 0 } };
	static const struct inc_file v1[] = {
		{ "r.d/a.conf", RULE_S("a") REQ_NONE, 0 }, { NULL, NULL, 0 } };
	static const struct inc_file v2[] = {
		{ "r.d/a.conf", RULE_S("a2") REQ_NONE, 0 },
		{ "r.d/b.conf", RULE_S("b") "    require = \"bad\"\n}\n", 0 },
		{ NULL, NULL, 0 } };
	static const char text[] = "include \"r.d/*.conf\"\n";
	char got[4096], names[256];
	struct policy *p;
	FILE *fp;

	(void)state;
	inc_put(dir);
	inc_put(v1);
	assert_non_null(fp = fopen(tmppath, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(p = load_path(tmppath, got, sizeof(got)));
	assert_string_equal(rule_names(p, names, sizeof(names)), "a");
	policy_free(p);
	inc_remove(v1);
	inc_put(v2);
	assert_null(load_path(tmppath, got, sizeof(got)));
	tmpdir_as_t(got);
	assert_string_equal(got, "T/r.d/b.conf:3: require: \"bad\" is not one "
	    "of none, encrypt, verify, secure\n");
	inc_remove(v2);
	inc_put(v1 + 0);
	assert_non_null(p = load_path(tmppath, got, sizeof(got)));
	assert_string_equal(rule_names(p, names, sizeof(names)), "a");
	policy_free(p);
	inc_remove(v1);
	inc_remove(dir);
	assert_int_equal(unlink(tmppath), 0);
}

/* An included file over the size limit is refused before it is read. */
static void
test_include_huge(void **state)
{
	static const char text[] = "include \"huge.conf\"\n";
	char got[4096], huge[512];
	FILE *fp;

	(void)state;
	snprintf(huge, sizeof(huge), "%s/huge.conf", tmpdir);
	assert_non_null(fp = fopen(huge, "w"));
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(huge, 0644), 0);
	assert_int_equal(truncate(huge, (off_t)CONF_MAX_BYTES + 1), 0);
	assert_null(load_text(text, strlen(text), got, sizeof(got)));
	assert_int_equal(unlink(huge), 0);
	tmpdir_as_t(got);
	assert_string_equal(got, "P:1: included file T/huge.conf: file is "
	    "larger than 268435456 bytes\n");
}

/* ------------------------------------------------------------ odd cases */

static void
test_directory(void **state)
{
	char got[4096];

	(void)state;
	assert_null(load_path(tmpdir, got, sizeof(got)));
	assert_string_equal(got, "P: not a regular file\n");
}

static void
test_missing_file(void **state)
{
	char got[4096], path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	assert_null(load_path(path, got, sizeof(got)));
	assert_string_equal(got, "P: cannot open: No such file or directory\n");
}

/* A parse that stops inside a string leaves libconfuse's lexer in its
 * string state; the next load must not start there. */
static void
test_lexer_reset(void **state)
{
	static const char bad[] = RULE_A "    reply_text = \"a\\9 # }\n}\n";
	static const char good[] = RULE_A "    require = \"none\"\n}\n";
	struct policy *p;
	char got[4096];

	(void)state;
	assert_null(load_text(bad, strlen(bad), got, sizeof(got)));
	p = load_text(good, strlen(good), got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	assert_int_equal(p->p_rules[0].r_require, REQUIRE_NONE);
	policy_free(p);
}

/* conf_load() clears the caller's struct; conf_errors_free() takes NULL
 * and leaves a reusable struct. */
static void
test_errors_struct(void **state)
{
	struct conf_errors e = { (char **)&e, 99, (char **)&e, 99 };
	FILE *fp;

	(void)state;
	assert_non_null(fp = fopen(tmppath, "w"));
	fputs(RULE_A "    require = \"nope\"\n}\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(conf_load(tmppath, &e));
	assert_int_equal(e.ce_count, 1);
	assert_int_equal(e.ce_nwarnings, 0);
	conf_errors_free(&e);
	assert_null(e.ce_lines);
	assert_int_equal(e.ce_count, 0);
	conf_errors_free(&e);
	conf_errors_free(NULL);
	assert_int_equal(unlink(tmppath), 0);
}

/* ------------------------------------------------------------ -n -v */

/* p as confprint_policy() writes it, malloc'd. */
static char *
printed(const struct policy *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&text, &len));
	assert_int_equal(confprint_policy(p, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return text;
}

/*
 * The policy text loads; what it prints loads without a problem and
 * prints the same again (a fixed point), with as many rules; *out gets
 * the first print (malloc'd) when out is not NULL.
 */
static void
check_reprint(const char *text, char **out)
{
	struct policy *p, *q;
	char got[8192], *once, *twice;

	p = load_text(text, strlen(text), got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	once = printed(p);
	q = load_text(once, strlen(once), got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(q);
	assert_int_equal(q->p_nrules, p->p_nrules);
	twice = printed(q);
	assert_string_equal(twice, once);
	free(twice);
	policy_free(q);
	policy_free(p);
	if (out != NULL)
		*out = once;
	else
		free(once);
}

static void
test_print_row(void **state)
{
	const struct good_row *row = *state;

	check_reprint(row->text, NULL);
}

static void
test_print_every_key(void **state)
{
	(void)state;
	check_reprint(every_key, NULL);
}

/* Every kind of value, normalised, and strings that need escapes. */
static const char print_odd[] =
    "mta = \"sendmail\"\nrecipient_delimiter = \"+-\"\n"
    "stats_file = \"/var/lib/x.prom\"\nstats_interval = 30\n"
    "socket_mode = \"660\"\nreply_text = \"Go \\\"away\\\" \\x24{HOME} "
    "\\\\ now\"\n"
    "rule \"we\\\"ird \\\\ name\" {\n"
    "    client_addr = {\"2001:DB8:0:0::/32\", \"::ffff:192.0.2.0/120\", "
    "\"10.1.2.3\"}\n"
    "    client_name = {\"MX.Example.COM.\", \".b\303\274cher.example\"}\n"
    "    helo = {\"[IPv6:2001:DB8::1]\", \"[192.0.2.1]\", \"Foo.Example\"}\n"
    "    sender = {\"<>\", \"John.Doe@Example.ORG\", \"\\\"a b\\\"@x.example\","
    " \"[192.0.2.1]\"}\n"
    "    listener = {\"smtpd-\303\251\"}\n    listener_port = {25, 587}\n"
    "    listener_addr = {\"192.0.2.9\"}\n    tls = true\n"
    "    require = \"secure\"\n    min_protocol = \"tls1.3\"\n"
    "    min_cipher_bits = 128\n    exclude_ciphers = {\"*RC4*\"}\n"
    "    cert_fingerprint = {\"SHA256:00112233445566778899aabbccddeeff"
    "00112233445566778899AABBCCDDEEFF\"}\n"
    "    cert_issuer = {\"/C=DE/O=M\303\274ller\"}\n"
    "    cert_name = {\".Example.com\"}\n    action = \"monitor\"\n}\n"
    "rule \"rest\" {\n    recipient = {\"a@b.example\", \"c.example\", "
    "\".d.example\", \"e@f.example\"}\n    require = \"none\"\n}\n";

static void
test_print_odd(void **state)
{
	char *out;

	(void)state;
	check_reprint(print_odd, &out);
	assert_non_null(strstr(out, "\nmode = \"enforce\"\n"));
	assert_non_null(strstr(out, "\n# socket is not set\n"));
	assert_non_null(strstr(out, "\nsocket_mode = \"0660\"\n"));
	assert_non_null(strstr(out, "\nreply_text = \"Go \\\"away\\\" "
	    "\\x24{HOME} \\\\ now\"\n"));
	assert_non_null(strstr(out, "\nrule \"we\\\"ird \\\\ name\" {\n"
	    "    client_addr = {\"2001:db8::/32\", \"192.0.2.0/24\", "
	    "\"10.1.2.3/32\"}\n"));
	assert_non_null(strstr(out, "    client_name = {\"mx.example.com\", "
	    "\".xn--bcher-kva.example\"}\n"));
	assert_non_null(strstr(out, "    helo = {\"[IPv6:2001:db8::1]\", "
	    "\"[192.0.2.1]\", \"foo.example\"}\n"));
	assert_non_null(strstr(out, "\"John.Doe@example.org\""));
	assert_non_null(strstr(out, "    listener = {\"smtpd-\\xC3\\xA9\"}\n"));
	assert_non_null(strstr(out, "    min_protocol = \"TLSv1.3\"\n"));
	assert_non_null(strstr(out, "\"sha256:00:11:22:33:44:55:66:77:88:99:"
	    "AA:BB:CC:DD:EE:FF:00:11"));
	assert_non_null(strstr(out, "    action = \"monitor\"\n"
	    "    reply_code = \"554\"\n    reply_xcode = \"5.7.0\"\n"));
	assert_non_null(strstr(out, "    recipient = {\n        \"a@b.example\","
	    "\n        \"c.example\",\n        \".d.example\",\n"
	    "        \"e@f.example\"\n    }\n"));
	free(out);
}

/* A policy without a stats_file: stats_interval stays a comment. */
static void
test_print_defaults(void **state)
{
	char *out;

	(void)state;
	check_reprint(RULE_A "    require = \"none\"\n}\n", &out);
	assert_non_null(strstr(out, "\nlog_accepts = true\n# user is not set\n"));
	assert_non_null(strstr(out, "\n# stats_interval = 60 (only with "
	    "stats_file)\n"));
	assert_non_null(strstr(out, "\n# recipient_delimiter is not set\n"));
	free(out);
}

/* 100 unknown keys: each reported on its line, up to the cap, and then
 * a word that more may follow; quickly. */
static void
test_many_unknown(void **state)
{
	size_t n = 100, i, len = 0;
	struct policy *p;
	char *text, *got, want[64];

	(void)state;
	assert_non_null(text = malloc(n * 40 + 64));
	assert_non_null(got = malloc(65536));
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "key%zu = %zu\n", i, i);
	len += (size_t)sprintf(text + len, RULE_A "    require = \"x\"\n}\n");
	p = load_text(text, len, got, 65536);
	assert_null(p);
	for (i = 0; i < 65; i++) {
		snprintf(want, sizeof(want), "P:%zu: unknown setting \"key%zu\"\n",
		    i + 1, i);
		assert_non_null(strstr(got, want));
	}
	assert_null(strstr(got, "\"key65\""));
	assert_non_null(strstr(got, "P:65: the check stops here after 65 "
	    "unknown settings: more problems may follow\n"));
	free(got);
	free(text);
}

/* Many rules: every one kept, in order, with its line. */
static void
test_many_rules(void **state)
{
	size_t n = 3000, i, len = 0;
	struct policy *p;
	char *text, got[4096];

	(void)state;
	assert_non_null(text = malloc(n * 80));
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "rule \"r%zu\" {\n"
		    "    sender = {\"s%zu.example\"}\n    require = \"encrypt\"\n}\n",
		    i, i);
	p = load_text(text, len, got, sizeof(got));
	assert_string_equal(got, "");
	assert_non_null(p);
	assert_int_equal(p->p_nrules, n);
	for (i = 0; i < n; i += 997) {
		snprintf(got, sizeof(got), "r%zu", i);
		assert_string_equal(p->p_rules[i].r_name, got);
		assert_int_equal(p->p_rules[i].r_line, (int)(4 * i + 1));
	}
	policy_free(p);
	free(text);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "%s/conf_test.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return 99;
	}
	snprintf(tmppath, sizeof(tmppath), "%s/policy.conf", tmpdir);
	testlist_add(&tl, "sample policy", test_sample, NULL);
	testlist_add(&tl, "every key", test_every_key, NULL);
	TESTLIST_TABLE(&tl, "broken", test_bad_row, bad_rows, label);
	TESTLIST_TABLE(&tl, "valid", test_good_row, good_rows, label);
	TESTLIST_TABLE(&tl, "warning", test_warn_row, warn_rows, label);
	testlist_add(&tl, "warnings of a file with a problem",
	    test_warn_with_problem, NULL);
	TESTLIST_TABLE(&tl, "include", test_include_row, include_rows, label);
	testlist_add(&tl, "include: a second load rereads the files",
	    test_include_reload, NULL);
	testlist_add(&tl, "include: a file over the size limit",
	    test_include_huge, NULL);
	testlist_add(&tl, "a directory", test_directory, NULL);
	testlist_add(&tl, "a missing file", test_missing_file, NULL);
	testlist_add(&tl, "lexer state after a bad string", test_lexer_reset,
	    NULL);
	testlist_add(&tl, "conf_errors", test_errors_struct, NULL);
	testlist_add(&tl, "3000 rules", test_many_rules, NULL);
	testlist_add(&tl, "100 unknown keys", test_many_unknown, NULL);
	TESTLIST_TABLE(&tl, "print", test_print_row, good_rows, label);
	testlist_add(&tl, "print: every key", test_print_every_key, NULL);
	testlist_add(&tl, "print: every kind of value", test_print_odd, NULL);
	testlist_add(&tl, "print: defaults", test_print_defaults, NULL);
	rc = testlist_run(&tl, "conf");
	rmdir(tmpdir);
	return rc;
}
