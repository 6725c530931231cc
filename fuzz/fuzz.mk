# SPDX-License-Identifier: BSD-2-Clause
# fuzz/fuzz.mk - builds the libFuzzer targets and the seed writers with
# clang, ASan and UBSan.  Run by fuzz/run, not by the Automake build:
#
#	make -f SRCDIR/fuzz/fuzz.mk -C BUILDDIR SRCDIR=SRCDIR
#
# Every library source is built again here, instrumented for coverage
# (-fsanitize=fuzzer-no-link) and for ASan+UBSan, any UBSan report fatal.

CLANG    ?= clang
PKGS     := gnutls libconfuse
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all
CFLAGS   := -std=c11 -g -O1 -fno-omit-frame-pointer $(SAN) \
	-D_GNU_SOURCE -I$(SRCDIR)/policy -I$(SRCDIR)/milter -I$(SRCDIR)/fuzz \
	-I$(SRCDIR)/report \
	$(shell pkg-config --cflags $(PKGS)) -Wall -Wextra
LIBS     := $(shell pkg-config --libs $(PKGS))

LIB_SRC  := $(wildcard $(SRCDIR)/policy/*.c) \
	$(SRCDIR)/milter/decision.c $(SRCDIR)/milter/sanitize.c \
	$(SRCDIR)/milter/query.c
LIB_OBJ  := $(patsubst $(SRCDIR)/%.c,obj/%.o,$(LIB_SRC))
HEADERS  := $(wildcard $(SRCDIR)/policy/*.h $(SRCDIR)/milter/*.h \
	$(SRCDIR)/fuzz/*.h $(SRCDIR)/report/logread.h $(SRCDIR)/report/journal.h) $(SRCDIR)/t/richpolicy.h

TARGETS  := fuzz_conf fuzz_eval fuzz_certname fuzz_session fuzz_logline \
	fuzz_logread
SEEDERS  := seeds_conf seeds_eval seeds_certname seeds_dnsname seeds_session

all: $(TARGETS) $(SEEDERS) conf.dict

obj/%.o: $(SRCDIR)/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# fuzz_conf keeps the policy's includes in its own directory: glob()
# goes through its __wrap_glob (fuzz_conf.c).
fuzz_conf: WRAP := -Wl,--wrap=glob

# fuzz_logread splits log lines with tls-policy-report's reader, which
# reads gzip too.
fuzz_logread: EXTRA := obj/report/logread.o obj/report/journal.o -lz
fuzz_logread: obj/report/logread.o obj/report/journal.o

$(TARGETS): %: $(SRCDIR)/fuzz/%.c $(LIB_OBJ) $(HEADERS)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $(WRAP) -o $@ $< $(LIB_OBJ) \
	    $(EXTRA) $(LIBS)

# The seed writers include a unit test source whole: its other functions
# go unused, and it needs cmocka.
$(SEEDERS): %: $(SRCDIR)/fuzz/%.c $(LIB_OBJ) $(HEADERS) \
		$(wildcard $(SRCDIR)/t/*.c $(SRCDIR)/t/*.h)
	$(CLANG) $(CFLAGS) -Wno-unused-function -Wno-unused-variable \
	    -I$(SRCDIR)/t $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs cmocka)

# fuzz_conf's dictionary: fuzz/conf.dict's values and punctuation, and
# every key the parser accepts as t/confkeys prints them (from the
# parser's own tables: a new key is in the dictionary without a word).
conf.dict: $(SRCDIR)/fuzz/conf.dict $(SRCDIR)/t/confkeys.c $(LIB_SRC) \
		$(HEADERS)
	$(CLANG) -std=c11 -O1 -D_GNU_SOURCE -I$(SRCDIR)/policy \
	    -I$(SRCDIR)/milter $(shell pkg-config --cflags $(PKGS)) \
	    -o confkeys $(SRCDIR)/t/confkeys.c $(LIB_SRC) $(LIBS)
	{ cat $(SRCDIR)/fuzz/conf.dict; ./confkeys | \
	    sed 's/^[a-z]* \(.*\)$$/"\1"/' | sort -u; } >$@

.PHONY: all
