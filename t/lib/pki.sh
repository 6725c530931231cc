# SPDX-License-Identifier: BSD-2-Clause
# t/lib/pki.sh: a throwaway test PKI made with certtool (gnutls-bin).
#
# Sourced by the end-to-end tests and the demo.  pki_make DIR creates, in
# DIR, everything a private Postfix and its TLS clients need:
#
#   ca.pem            "Test Issuing CA", the CA Postfix trusts for client certs
#   other-ca.pem      "Other Issuing CA", an unrelated CA nobody trusts
#   server.{pem,key}  the private Postfix's certificate (localhost, 127.0.0.1)
#   mx1.{pem,key}     client "mx1.partner.test" (CN and SAN), signed by the CA
#   mx9.{pem,key}     client "mx9.partner.test", signed by the CA
#   wild.{pem,key}    client "*.partner.test", signed by the CA
#   other-mx1.{pem,key}   client "mx1.partner.test", signed by the other CA
#   selfsigned.{pem,key}  client "selfsigned.partner.test", self-signed
#   esc-ca.pem        "Esc, CA +1/\xc3\xbc" (O "Escapes + Co, Ltd./\xc3\x9c"), a second
#                     trusted CA whose names hold the bytes DNs escape
#   esc-mx1.{pem,key} client "mx1.partner.test" (O "Partner, Inc. + Co/\xc3\xbc"),
#                     signed by esc-ca
#   escn.{pem,key}    client whose CN "mx, +1/\xc3\xbc.partner.test" is no host
#                     name, signed by esc-ca
#   longdn.{pem,key}  client "mx1.partner.test" whose subject DN is over 255
#                     bytes, the CN last, signed by the CA
#   cas.pem           ca.pem and esc-ca.pem: what the MTAs trust
#
# The names with escapes are written in UTF-8 (ü is \xc3\xbc).
# Keys are ECDSA P-256 (a few milliseconds each; RSA-2048 is ~50 ms) and
# mode 0600; certificates are valid for two days from now.  Nothing outside
# DIR is read or written.  Returns 0, or non-zero with certtool's complaint
# on stderr.

# The names with escapes (UTF-8 bytes written out, so the file stays ASCII).
PKI_UE=$(printf '\303\274')			# ü
PKI_ESC_CA_CN="Esc, CA +1/$PKI_UE"
PKI_ESC_CA_O="Escapes + Co, Ltd./$(printf '\303\234')"	# Ü
PKI_ESC_CN="mx, +1/$PKI_UE.partner.test"
PKI_LONG_O="Partner Organisation With A Very Long Name For Testing How MTAs Pass Distinguished Names That Do Not Fit In The Two Hundred And Fifty Five Bytes Sendmail Keeps"
PKI_LONG_OU="Department Of Rather Long Organisational Unit Names, Mail Exchangers Section"

# _pki_key FILE: a fresh private key, mode 0600.
_pki_key() {
	(umask 077 && certtool --generate-privkey --key-type=ecdsa \
		--curve=secp256r1 --no-text --outfile "$1" 2>/dev/null) ||
		{ echo "pki: cannot generate key $1" >&2; return 1; }
}

# _pki_cert DIR NAME TEMPLATE-BODY [ISSUER]: key NAME.key and certificate
# NAME.pem from the certtool template TEMPLATE-BODY, signed by ISSUER
# (ISSUER.pem/ISSUER.key in DIR) or self-signed when ISSUER is empty.
_pki_cert() {
	_pc_dir=$1 _pc_name=$2 _pc_tmpl=$3 _pc_issuer=${4:-}
	printf '%s\nexpiration_days = 2\n' "$_pc_tmpl" >"$_pc_dir/$_pc_name.tmpl"
	_pki_key "$_pc_dir/$_pc_name.key" || return 1
	if [ -n "$_pc_issuer" ]; then
		certtool --generate-certificate --no-text \
			--load-privkey "$_pc_dir/$_pc_name.key" \
			--load-ca-certificate "$_pc_dir/$_pc_issuer.pem" \
			--load-ca-privkey "$_pc_dir/$_pc_issuer.key" \
			--template "$_pc_dir/$_pc_name.tmpl" \
			--outfile "$_pc_dir/$_pc_name.pem" 2>"$_pc_dir/$_pc_name.err"
	else
		certtool --generate-self-signed --no-text \
			--load-privkey "$_pc_dir/$_pc_name.key" \
			--template "$_pc_dir/$_pc_name.tmpl" \
			--outfile "$_pc_dir/$_pc_name.pem" 2>"$_pc_dir/$_pc_name.err"
	fi || {
		echo "pki: certtool failed for $_pc_name:" >&2
		cat "$_pc_dir/$_pc_name.err" >&2
		return 1
	}
	rm -f "$_pc_dir/$_pc_name.tmpl" "$_pc_dir/$_pc_name.err"
}

# pki_make DIR: create the whole test PKI in DIR (created if missing).
pki_make() {
	_pk_dir=$1
	mkdir -p "$_pk_dir" || return 1

	# Two CAs: the one Postfix trusts and one it has never heard of.
	_pki_cert "$_pk_dir" ca 'cn = "Test Issuing CA"
organization = "tls-policy-milter tests"
ca
cert_signing_key
crl_signing_key' || return 1
	_pki_cert "$_pk_dir" other-ca 'cn = "Other Issuing CA"
organization = "Somebody Else"
ca
cert_signing_key' || return 1

	# The private Postfix's own certificate.
	_pki_cert "$_pk_dir" server 'cn = "localhost"
dns_name = "localhost"
ip_address = "127.0.0.1"
tls_www_server
signing_key' ca || return 1

	# Client certificates.  Postfix hands the milter the CN only, so the
	# CN carries the name under test; the SAN repeats it as real MTAs do.
	for _pk_spec in mx1:mx1.partner.test:ca mx9:mx9.partner.test:ca \
		'wild:*.partner.test:ca' other-mx1:mx1.partner.test:other-ca \
		selfsigned:selfsigned.partner.test:; do
		_pk_file=${_pk_spec%%:*}
		_pk_rest=${_pk_spec#*:}
		_pk_cn=${_pk_rest%%:*}
		_pk_issuer=${_pk_rest#*:}
		_pki_cert "$_pk_dir" "$_pk_file" "cn = \"$_pk_cn\"
dns_name = \"$_pk_cn\"
tls_www_client
signing_key" "$_pk_issuer" || return 1
	done

	# Names with the bytes DNs escape: "," "+" "/" and a UTF-8 "ü".
	_pki_cert "$_pk_dir" esc-ca "cn = \"$PKI_ESC_CA_CN\"
organization = \"$PKI_ESC_CA_O\"
ca
cert_signing_key" || return 1
	_pki_cert "$_pk_dir" esc-mx1 "cn = \"mx1.partner.test\"
organization = \"Partner, Inc. + Co/$PKI_UE\"
dns_name = \"mx1.partner.test\"
tls_www_client
signing_key" esc-ca || return 1
	_pki_cert "$_pk_dir" escn "cn = \"$PKI_ESC_CN\"
tls_www_client
signing_key" esc-ca || return 1

	# A subject DN longer than the 255 bytes Sendmail passes on, its CN
	# last (certtool writes the RDNs in this order: O, OU, CN).
	_pki_cert "$_pk_dir" longdn "cn = \"mx1.partner.test\"
organization = \"$PKI_LONG_O\"
unit = \"$PKI_LONG_OU\"
dns_name = \"mx1.partner.test\"
tls_www_client
signing_key" ca || return 1

	cat "$_pk_dir/ca.pem" "$_pk_dir/esc-ca.pem" >"$_pk_dir/cas.pem" || return 1
}

# pki_fingerprint FILE ALG: print the ALG (md5, sha1, sha256) digest of the
# DER form of certificate FILE as upper-case hex pairs joined by ":", the
# form Sendmail gives in {cert_md5} / {cert_fp}.
pki_fingerprint() {
	certtool --certificate-info --outder --infile "$1" 2>/dev/null |
		"${2}sum" | cut -d' ' -f1 | tr a-f A-F | sed 's/../&:/g; s/:$//'
}
