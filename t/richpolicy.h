/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * richpolicy.h - the first rules of the rich policy that t/eval_test.c
 * judges row by row and fuzz/fuzz_eval.c judges by its properties: every
 * selector, requirement and action.  Each file goes on with rules of its
 * own (the fuzz target's policy ends with a rule that takes everything
 * else; eval_test's rows expect its ten rules as they are).
 */
#ifndef RICHPOLICY_H
#define RICHPOLICY_H

#define RICHPOLICY_FIRST_RULES \
    "rule \"internal\" {\n" \
    "    client_addr = {\"127.0.0.0/8\", \"10.0.0.0/8\", \"::1/128\",\n" \
    "                   \"2001:db8:1::/48\"}\n" \
    "    require     = \"none\"\n" \
    "}\n" \
    "rule \"submission\" {\n" \
    "    listener      = {\"submission\"}\n" \
    "    authenticated = true\n" \
    "    require       = \"encrypt\"\n" \
    "    min_protocol  = \"TLSv1.2\"\n" \
    "}\n" \
    "rule \"submission-anon\" {\n" \
    "    listener   = {\"submission\"}\n" \
    "    require    = \"verify\"\n" \
    "    action     = \"tempfail\"\n" \
    "    reply_text = \"Log in or present a certificate\"\n" \
    "}\n" \
    "rule \"partner\" {\n" \
    "    sender          = {\"partner.example\", \".partner.example\"}\n" \
    "    require         = \"secure\"\n" \
    "    min_protocol    = \"TLSv1.2\"\n" \
    "    min_cipher_bits = 128\n" \
    "    cert_name       = {\"mx1.partner.example\", \".mail.partner.example\",\n" \
    "                       \"mx.b\xc3\xbc" "cher.example\"}\n" \
    "    cert_issuer     = {\"Partner Issuing CA\"}\n" \
    "}\n" \
    "rule \"ceo\" {\n" \
    "    sender          = {\"ceo@boss.example\"}\n" \
    "    require         = \"encrypt\"\n" \
    "    exclude_ciphers = {\"*RC4*\", \"*DES*\", \"AES128-SHA\"}\n" \
    "    reply_code      = 550\n" \
    "    reply_xcode     = \"5.7.1\"\n" \
    "    reply_text      = \"Mail from the CEO must be encrypted\"\n" \
    "}\n" \
    "rule \"bounces\" {\n" \
    "    sender  = {\"<>\"}\n" \
    "    require = \"encrypt\"\n" \
    "    action  = \"tempfail\"\n" \
    "}\n" \
    "rule \"relays\" {\n" \
    "    client_name = {\"relay.example.net\", \".relays.example.net\"}\n" \
    "    require     = \"verify\"\n" \
    "    cert_issuer = {\"Example Relay CA\"}\n" \
    "}\n"

#endif
