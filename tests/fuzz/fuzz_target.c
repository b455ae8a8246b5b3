/* SPDX-License-Identifier: ISC */
/*
 * fuzz_target - what the user types: cli_parse_target(), both ways
 * (operand and --host), cli_parse_commands() and policy_parse() on the
 * input as one NUL-terminated string, and cli_parse() on the input split
 * at newlines into argv.
 *
 * Oracles: what cli.c promises the rest of the program: an accepted
 * target or command argument holds only printable ASCII (no CR/LF can
 * reach the SMTP dialogue), names fit struct target_spec, commands are
 * known verbs, each at most once; a policy's normalised spec parses
 * again to the same spec; one cli_parse() leaves nothing behind for
 * the next; nothing leaks.
 */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "policy.h"
#include "fuzz.h"

#define FUZZ_MAX_ARGS	64

static const char *known_verbs[] = {
	"VRFY", "EXPN", "TURN", "ETRN", "ATRN", "HELP", "NOOP"
};

static void
check_printable(const char *s, int spaces)
{
	for (; *s != '\0'; s++)
		FUZZ_CHECK((*s > ' ' || (spaces && *s == ' ')) && *s <= '~');
}

static void
check_target(const char *s, int force_host)
{
	struct target_spec	 t;
	char			 err[256];

	err[0] = '\0';
	if (cli_parse_target(s, force_host, &t, err, sizeof(err)) == 0) {
		FUZZ_CHECK(memchr(t.name, '\0', sizeof(t.name)) != NULL);
		FUZZ_CHECK(t.name[0] != '\0');
		check_printable(t.name, 0);
		FUZZ_CHECK(t.kind == TARGET_DOMAIN || t.kind == TARGET_HOST ||
		    t.kind == TARGET_ADDRESS);
		if (force_host)
			FUZZ_CHECK(t.kind != TARGET_DOMAIN);
		if (t.kind == TARGET_DOMAIN)
			FUZZ_CHECK(t.port == 0);
	} else
		FUZZ_CHECK(err[0] != '\0');
}

static void
check_commands(const char *s)
{
	struct cli_config	 cfg;
	char			 err[256];
	size_t			 i, j, k;

	memset(&cfg, 0, sizeof(cfg));
	err[0] = '\0';
	if (cli_parse_commands(s, &cfg, err, sizeof(err)) == 0) {
		FUZZ_CHECK(cfg.ncmds >= 1 && cfg.ncmds <= CLI_MAX_CMDS);
		for (i = 0; i < cfg.ncmds; i++) {
			for (k = 0; k < sizeof(known_verbs) / sizeof(known_verbs[0]); k++)
				if (strcmp(cfg.cmds[i].verb, known_verbs[k]) == 0)
					break;
			FUZZ_CHECK(k < sizeof(known_verbs) / sizeof(known_verbs[0]));
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(cfg.cmds[i].verb,
				    cfg.cmds[j].verb) != 0);
			if (cfg.cmds[i].arg != NULL) {
				FUZZ_CHECK(cfg.cmds[i].arg[0] != '\0');
				FUZZ_CHECK(strlen(cfg.cmds[i].arg) <= 255);
				check_printable(cfg.cmds[i].arg, 1);
			}
		}
	} else
		FUZZ_CHECK(err[0] != '\0');
	/* parsing again releases the first list (cli.h) */
	(void)cli_parse_commands("VRFY", &cfg, err, sizeof(err));
	FUZZ_CHECK(cfg.ncmds == 1);
	cli_free(&cfg);
}

static void
check_policy(const char *s)
{
	struct policy	*p, *q;
	char		 err[256];
	const char	 verbs[2][8] = { "VRFY", "EXPN" };
	char		*spec;

	err[0] = '\0';
	if ((p = policy_parse(s, err, sizeof(err))) == NULL) {
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	FUZZ_CHECK(policy_spec(p) != NULL && policy_spec(p)[0] != '\0');
	check_printable(policy_spec(p), 0);
	(void)policy_verb_missing(p, verbs, 2);
	(void)policy_verb_missing(p, verbs, 0);
	/* the normalised form is a policy too, and a fixed point */
	spec = strdup(policy_spec(p));
	FUZZ_CHECK(spec != NULL);
	q = policy_parse(spec, err, sizeof(err));
	FUZZ_CHECK(q != NULL);
	FUZZ_CHECK(strcmp(policy_spec(q), spec) == 0);
	policy_free(q);
	policy_free(p);
	free(spec);
}

static char	 fixed_a0[] = "smtpprobe", fixed_a1[] = "-c", fixed_a2[] = "VRFY",
		 fixed_a3[] = "example.com";
static char	*fixed_argv[] = { fixed_a0, fixed_a1, fixed_a2, fixed_a3, NULL };
static struct cli_config fixed_ref;	/* its result, from a clean start */
static int	 fixed_have_ref;

/* cli_parse() of fixed_argv into *out, allocations released */
static void
fixed_parse(struct cli_config *out)
{
	struct cli_config	 cfg;
	char			 err[256];

	if (out == &fixed_ref && fixed_have_ref)
		return;
	err[0] = '\0';
	if (cli_parse(4, fixed_argv, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_target: fixed argv: %s\n", err);
		FUZZ_CHECK(!"cli_parse() failed on a fixed, valid argv");
	}
	FUZZ_CHECK(cfg.mode == CLI_MODE_PROBE && cfg.ncmds == 1);
	FUZZ_CHECK(cfg.ntargets == 1 && strcmp(cfg.targets[0], "example.com") == 0);
	*out = cfg;
	out->hosts = NULL;	/* heap: differs per call; freed below */
	cfg.ncmds = 0;		/* the copy keeps no arg (plain "VRFY") */
	FUZZ_CHECK(out->cmds[0].arg == NULL);
	cli_free(&cfg);
	if (out == &fixed_ref)
		fixed_have_ref = 1;
}

/*
 * cli_parse() twice: on the input split at newlines, then on a fixed,
 * valid command line that must give the same result every time.  A
 * parse that leaves getopt's state behind (the unread "q" of "-zq")
 * shows up here as a different result.
 */
static void
check_argv(const char *input)
{
	struct cli_config	 cfg;
	char			*argv[FUZZ_MAX_ARGS + 2], err[256], *copy, *s;
	int			 argc = 0;
	size_t			 i;

	fixed_parse(&fixed_ref);	/* first call: a clean getopt */
	if ((copy = strdup(input)) == NULL)
		return;
	s = copy;
	argv[argc++] = fixed_a0;
	while (argc <= FUZZ_MAX_ARGS) {
		argv[argc++] = s;
		if ((s = strchr(s, '\n')) == NULL)
			break;
		*s++ = '\0';
	}
	argv[argc] = NULL;
	err[0] = '\0';
	if (cli_parse(argc, argv, &cfg, err, sizeof(err)) == 0) {
		FUZZ_CHECK(cfg.ncmds >= 1 && cfg.ncmds <= CLI_MAX_CMDS);
		if (cfg.helo != NULL)
			check_printable(cfg.helo, 0);
		for (i = 0; i < cfg.ncmds; i++)
			if (cfg.cmds[i].arg != NULL)
				check_printable(cfg.cmds[i].arg, 1);
		FUZZ_CHECK(cfg.shard_n == 0 || cfg.shard_i < cfg.shard_n);
		if (cfg.mode == CLI_MODE_PROBE)
			FUZZ_CHECK(cfg.ntargets + cfg.nhosts > 0 ||
			    cfg.target_file != NULL);
	} else
		FUZZ_CHECK(err[0] != '\0');
	cli_free(&cfg);

	/*
	 * The next cli_parse() must not see anything of the last one.  The
	 * copy is still alive: getopt's leftovers then read the real bytes,
	 * and the difference shows deterministically (freed memory would be
	 * reused or overwritten, and glibc's getopt is not instrumented).
	 */
	fixed_parse(&cfg);
	FUZZ_CHECK(memcmp(&cfg, &fixed_ref, sizeof(cfg)) == 0);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_target(s, 0);
	check_target(s, 1);
	check_commands(s);
	check_policy(s);
	check_argv(s);
	free(s);
	return 0;
}
