/* SPDX-License-Identifier: ISC */
/*
 * replay - main() for the fuzz targets when libFuzzer is not used: run
 * LLVMFuzzerTestOneInput() once on every file named on the command line
 * (a directory: every file in it, in name order, dot files skipped).
 * So "make check" replays the corpus, crash reproducers included, under
 * the normal (or the --enable-sanitizers) build.  Exits 0, or 1 when a
 * file cannot be read; a failing input aborts.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static unsigned	 replay_count;

static int
replay_file(const char *path)
{
	FILE		*fp;
	uint8_t		*data = NULL, *p;
	size_t		 len = 0, size = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == size) {
			size = size ? size * 2 : 4096;
			if ((p = realloc(data, size)) == NULL) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(data);
				fclose(fp);
				return -1;
			}
			data = p;
		}
		if ((n = fread(data + len, 1, size - len, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	/* an exact-size copy, as libFuzzer passes it: ASan sees overreads */
	p = malloc(len ? len : 1);
	if (p == NULL) {
		free(data);
		return -1;
	}
	memcpy(p, data, len);
	free(data);
	(void)LLVMFuzzerTestOneInput(p, len);
	free(p);
	replay_count++;
	return 0;
}

static int
replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_path(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL, **tmp;
	size_t		 n = 0, i;
	int		 rc = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t	 len;

		if (de->d_name[0] == '.')
			continue;
		len = strlen(path) + strlen(de->d_name) + 2;
		if ((tmp = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (tmp[n] = malloc(len)) == NULL) {
			if (tmp != NULL)
				names = tmp;
			rc = -1;
			break;
		}
		names = tmp;
		snprintf(names[n++], len, "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), replay_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0 && replay_path(names[i]) == -1)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int	 i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) == -1)
			rc = 1;
	printf("%s: %u input(s) replayed\n", argv[0], replay_count);
	return rc;
}
