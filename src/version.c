/* SPDX-License-Identifier: ISC */
/*
 * version - `smtpprobe --version`.
 *
 *   smtpprobe 0.1.0
 *   libraries: c-ares/1.18.1 OpenSSL/3.0.17 jansson/2.14
 *   built with: sanitizers=no fuzzing=no
 *
 * The library versions are those of the shared libraries loaded now (what a
 * bug report needs), not the headers the program was compiled with; where
 * the two differ, the compile-time one follows in parentheses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <ares.h>
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "util.h"
#include "version.h"

static const char *
cares_runtime(void)
{
	return ares_version(NULL);
}

static const char *
openssl_runtime(void)
{
	return OpenSSL_version(OPENSSL_VERSION_STRING);
}

static const char *
jansson_runtime(void)
{
#if JANSSON_VERSION_HEX >= 0x020d00
	return jansson_version_str();	/* since jansson 2.13 */
#else
	return JANSSON_VERSION;		/* no runtime query: the headers' */
#endif
}

static const char *
curl_runtime(void)
{
	return curl_version_info(CURLVERSION_NOW)->version;
}

/* one row per library linked in */
static const struct lib_version {
	const char	 *name;
	const char	*(*runtime)(void);
	const char	 *built;
} libs[] = {
	{ "c-ares",	cares_runtime,		ARES_VERSION_STR },
	{ "OpenSSL",	openssl_runtime,	OPENSSL_VERSION_STR },
	{ "jansson",	jansson_runtime,	JANSSON_VERSION },
	{ "libcurl",	curl_runtime,		LIBCURL_VERSION },
};

void
version_print(FILE *fp)
{
	const char	*now;
	size_t		 i;

	fprintf(fp, "smtpprobe %s\n", PACKAGE_VERSION);
	fputs("libraries:", fp);
	for (i = 0; i < nitems(libs); i++) {
		now = libs[i].runtime();
		fprintf(fp, " %s/%s", libs[i].name, now);
		if (strcmp(now, libs[i].built) != 0)
			fprintf(fp, " (built with %s)", libs[i].built);
	}
	fputc('\n', fp);
	fprintf(fp, "built with: sanitizers=%s fuzzing=%s\n",
#ifdef SMTPPROBE_SANITIZERS
	    "yes",
#else
	    "no",
#endif
#ifdef SMTPPROBE_FUZZING
	    "yes"
#else
	    "no"
#endif
	    );
}
