/* SPDX-License-Identifier: ISC */
/*
 * fuzz_tlsa - tlsa_parse() on a raw DNS message (the resolver hands it
 * whatever came off the wire), and tlsa_qname() on names from the input.
 *
 * Oracles: nothing allocated on failure, at most TLSA_MAX_RECORDS
 * records of at most 65535 bytes (an RR's limit), every data byte readable,
 * data copied from the message, and rcode and AD as in the header.
 * libFuzzer passes an exact-size buffer, so ASan sees any overread.
 */
#include "config.h"

#include <string.h>

#include "tlsa.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsa_rec	*recs = (struct tlsa_rec *)1;	/* must be overwritten */
	size_t		 n = 12345, i, k;
	int		 rcode = -1, ad = -1, rc;
	unsigned	 sum = 0;
	char		 qn[64], *host;

	rc = tlsa_parse(data, size, &rcode, &ad, &recs, &n);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FUZZ_CHECK(recs == NULL && n == 0);
	} else {
		FUZZ_CHECK(size >= 12);
		FUZZ_CHECK(rcode == (data[3] & 0x0f));
		FUZZ_CHECK(ad == ((data[3] & 0x20) != 0));
		FUZZ_CHECK(n <= TLSA_MAX_RECORDS);
		FUZZ_CHECK((n == 0) == (recs == NULL));
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(recs[i].data != NULL);
			FUZZ_CHECK(recs[i].len <= 65535);
			/* 3 bytes of fields + data inside the message */
			FUZZ_CHECK(recs[i].len + 3 <= size);
			/* copied from the message, never made up */
			if (recs[i].len > 0)
				FUZZ_CHECK(memmem(data, size, recs[i].data,
				    recs[i].len) != NULL);
			for (k = 0; k < recs[i].len; k++)
				sum += recs[i].data[k];	/* read every byte */
		}
		result_tlsa_free(recs, n);
	}
	(void)sum;

	/* tlsa_qname: a port and a host name from the input, small buffers */
	if (size >= 3) {
		host = malloc(size - 2);
		FUZZ_CHECK(host != NULL);
		memcpy(host, data + 3, size - 3);
		host[size - 3] = '\0';
		for (k = 0; k <= sizeof(qn); k += 7) {
			memset(qn, 'x', sizeof(qn));
			if (tlsa_qname(qn, k, (uint16_t)(data[0] << 8 | data[1]),
			    host) == 0) {
				FUZZ_CHECK(k > 0 && strlen(qn) < k);
				FUZZ_CHECK(qn[0] == '_' && strstr(qn, "._tcp.") != NULL);
			} else if (k > 0)
				FUZZ_CHECK(memchr(qn, '\0', k) != NULL);
		}
		free(host);
	}
	return 0;
}
