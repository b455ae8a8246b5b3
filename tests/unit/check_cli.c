/* SPDX-License-Identifier: ISC */
/*
 * check_cli - command line and target parsing: what is accepted, what
 * becomes what, and what is refused with a usage error.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- targets ----------------------------------------------------------- */

static const struct {
	const char	*in;
	int		 force_host;
	int		 ok;
	int		 kind;
	const char	*name;
	int		 port;
} target_cases[] = {
	{ "example.com", 0, 1, TARGET_DOMAIN, "example.com", 0 },
	{ "example.com.", 0, 1, TARGET_DOMAIN, "example.com", 0 },
	{ "Example.COM", 0, 1, TARGET_DOMAIN, "Example.COM", 0 },
	{ "mx.example.com:2525", 0, 1, TARGET_HOST, "mx.example.com", 2525 },
	{ "mx.example.com", 1, 1, TARGET_HOST, "mx.example.com", 0 },
	{ "192.0.2.1", 0, 1, TARGET_ADDRESS, "192.0.2.1", 0 },
	{ "192.0.2.1:587", 0, 1, TARGET_ADDRESS, "192.0.2.1", 587 },
	{ "[2001:db8::1]:25", 0, 1, TARGET_ADDRESS, "2001:db8::1", 25 },
	{ "[2001:db8::1]", 0, 1, TARGET_ADDRESS, "2001:db8::1", 0 },
	{ "[IPv6:2001:db8::1]", 0, 1, TARGET_ADDRESS, "2001:db8::1", 0 },
	{ "2001:db8::1", 0, 1, TARGET_ADDRESS, "2001:db8::1", 0 },
	{ "::1", 0, 1, TARGET_ADDRESS, "::1", 0 },
	{ "_dmarc.example.com", 0, 1, TARGET_DOMAIN, "_dmarc.example.com", 0 },
	{ "", 0, 0, 0, NULL, 0 },
	{ "exa mple.com", 0, 0, 0, NULL, 0 },
	{ "example..com", 0, 0, 0, NULL, 0 },
	{ ".example.com", 0, 0, 0, NULL, 0 },
	{ "example.com:0", 0, 0, 0, NULL, 0 },
	{ "example.com:65536", 0, 0, 0, NULL, 0 },
	{ "example.com:25x", 0, 0, 0, NULL, 0 },
	{ "[2001:db8::1", 0, 0, 0, NULL, 0 },
	{ "[not-an-ip]:25", 0, 0, 0, NULL, 0 },
	{ "[::1]x", 0, 0, 0, NULL, 0 },
	{ "ex\r\nample.com", 0, 0, 0, NULL, 0 },
	{ "example.com\x1b[31m", 0, 0, 0, NULL, 0 },
	{ "a.b:c:d", 0, 0, 0, NULL, 0 },
};

START_TEST(parse_target)
{
	struct target_spec	 t;
	char			 err[256] = "";
	int			 rc;

	rc = cli_parse_target(target_cases[_i].in, target_cases[_i].force_host,
	    &t, err, sizeof(err));
	ck_assert_msg((rc == 0) == target_cases[_i].ok, "\"%s\": got rc %d, want %s",
	    target_cases[_i].in, rc, target_cases[_i].ok ? "ok" : "error");
	if (!target_cases[_i].ok) {
		ck_assert_msg(err[0] != '\0', "\"%s\": no reason given",
		    target_cases[_i].in);
		return;
	}
	ck_assert_msg((int)t.kind == target_cases[_i].kind, "\"%s\": got kind %d, want %d",
	    target_cases[_i].in, t.kind, target_cases[_i].kind);
	ck_assert_str_eq(t.name, target_cases[_i].name);
	ck_assert_msg(t.port == target_cases[_i].port, "\"%s\": got port %d, want %d",
	    target_cases[_i].in, t.port, target_cases[_i].port);
}
END_TEST

START_TEST(target_too_long)
{
	struct target_spec	 t;
	char			 err[256], name[600];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(cli_parse_target(name, 0, &t, err, sizeof(err)), -1);
	/* a 64-character label is one too many (RFC 1035) */
	memset(name, 'a', 64);
	strcpy(name + 64, ".com");
	ck_assert_int_eq(cli_parse_target(name, 0, &t, err, sizeof(err)), -1);
}
END_TEST

/* ---- whole command lines ------------------------------------------------ */

static int
parse(struct cli_config *cfg, char *err, size_t errlen, ...)
{
	static char	*argv[32];
	int	 argc = 0, rc;
	va_list	 ap;

	argv[argc++] = (char *)"smtpprobe";
	va_start(ap, errlen);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	rc = cli_parse(argc, argv, cfg, err, errlen);
	return rc;
}

static const struct {
	char		*args[6];
	int		 ok;
	const char	*errpart;	/* substring of the reason */
} cmdline_cases[] = {
	{ { "example.com" }, 1, NULL },
	{ { "--format", "json", "example.com" }, 1, NULL },
	{ { "--format", "yaml", "example.com" }, 0, "yaml" },
	{ { "-p", "0", "example.com" }, 0, "port" },
	{ { "-p", "70000", "example.com" }, 0, "port" },
	{ { "--timeout", "abc", "example.com" }, 0, "duration" },
	{ { "--timeout", "0", "example.com" }, 0, "duration" },
	{ { "--deadline", "0", "example.com" }, 1, NULL },
	{ { "-c", "VRFY,FOO", "example.com" }, 0, "FOO" },
	{ { "-c", "", "example.com" }, 0, "at least one" },
	{ { "--helo", "bad name", "example.com" }, 0, "helo" },
	{ { "--helo", "x\r\nDATA", "example.com" }, 0, "helo" },
	{ { "--no-such-option", "example.com" }, 0, "unknown option" },
	{ { "-Z", "example.com" }, 0, "unknown option" },
	{ { "--timeout" }, 0, "needs an argument" },
	{ { NULL }, 0, "no target" },
	{ { "exa mple.com" }, 0, "not a valid" },
	{ { "--demo", "example.com" }, 0, "no targets" },
	{ { "-P", "0", "example.com" }, 0, "concurrency" },
	{ { "--color=sometimes", "x.com" }, 0, "color" },
	{ { "--host", "mx.example.com" }, 1, NULL },
	{ { "-f", "-" }, 1, NULL },
	{ { "-4", "-6", "example.com" }, 0, "-4 and -6 exclude each other" },
	{ { "-6", "-4", "example.com" }, 0, "-4 and -6 exclude each other" },
	{ { "-46", "example.com" }, 0, "-4 and -6 exclude each other" },
	{ { "-4", "-4", "example.com" }, 1, NULL },
};

START_TEST(cmdline)
{
	struct cli_config	 cfg;
	char			 err[512] = "";
	char			*argv[8];
	int			 argc = 0, i, rc;

	argv[argc++] = (char *)"smtpprobe";
	for (i = 0; i < 6 && cmdline_cases[_i].args[i] != NULL; i++)
		argv[argc++] = cmdline_cases[_i].args[i];
	argv[argc] = NULL;
	rc = cli_parse(argc, argv, &cfg, err, sizeof(err));
	ck_assert_msg((rc == 0) == cmdline_cases[_i].ok,
	    "case %d: got rc %d (%s), want %s", _i, rc, err,
	    cmdline_cases[_i].ok ? "ok" : "error");
	if (cmdline_cases[_i].errpart != NULL)
		ck_assert_msg(strstr(err, cmdline_cases[_i].errpart) != NULL,
		    "case %d: reason \"%s\" lacks \"%s\"", _i, err,
		    cmdline_cases[_i].errpart);
	cli_free(&cfg);
}
END_TEST

START_TEST(defaults)
{
	struct cli_config	 cfg;
	char			 err[256];

	ck_assert_int_eq(parse(&cfg, err, sizeof(err), "example.com", NULL), 0);
	ck_assert_int_eq(cfg.mode, CLI_MODE_PROBE);
	ck_assert_int_eq(cfg.format, FMT_TEXT);
	ck_assert_uint_eq(cfg.ncmds, 3);
	ck_assert_str_eq(cfg.cmds[0].verb, "VRFY");
	ck_assert_str_eq(cfg.cmds[1].verb, "EXPN");
	ck_assert_str_eq(cfg.cmds[2].verb, "TURN");
	ck_assert_ptr_null(cfg.cmds[0].arg);
	ck_assert_int_eq(cfg.port, 0);
	ck_assert_int_eq(cfg.per_ip, 1);
	ck_assert_int_gt(cfg.timeout_ms, 0);
	ck_assert_int_gt(cfg.connect_timeout_ms, 0);
	ck_assert_uint_eq(cfg.ntargets, 1);
	ck_assert_str_eq(cfg.targets[0], "example.com");
	cli_free(&cfg);
}
END_TEST

START_TEST(options_set_fields)
{
	struct cli_config	 cfg;
	char			 err[256];

	ck_assert_int_eq(parse(&cfg, err, sizeof(err), "-c", "vrfy=root,ETRN,noop",
	    "-p", "2525", "-6", "--timeout", "500ms", "--connect-timeout", "2",
	    "--deadline", "1m", "--json", "-v", "--helo", "probe.example",
	    "--dns-server", "127.0.0.1:5353", "-P", "10", "--per-ip", "2",
	    "a.example", "b.example", NULL), 0);
	ck_assert_uint_eq(cfg.ncmds, 3);
	ck_assert_str_eq(cfg.cmds[0].verb, "VRFY");
	ck_assert_str_eq(cfg.cmds[0].arg, "root");
	ck_assert_str_eq(cfg.cmds[1].verb, "ETRN");
	ck_assert_str_eq(cfg.cmds[2].verb, "NOOP");
	ck_assert_int_eq(cfg.port, 2525);
	ck_assert_int_eq(cfg.family, 6);
	ck_assert_int_eq(cfg.timeout_ms, 500);
	ck_assert_int_eq(cfg.connect_timeout_ms, 2000);
	ck_assert_int_eq(cfg.deadline_ms, 60000);
	ck_assert_int_eq(cfg.format, FMT_JSON);
	ck_assert_int_eq(cfg.transcript, 1);
	ck_assert_str_eq(cfg.helo, "probe.example");
	ck_assert_str_eq(cfg.dns_servers, "127.0.0.1:5353");
	ck_assert_int_eq(cfg.concurrency, 10);
	ck_assert_int_eq(cfg.per_ip, 2);
	ck_assert_uint_eq(cfg.ntargets, 2);
	cli_free(&cfg);
}
END_TEST

START_TEST(explain_mode)
{
	struct cli_config	 cfg;
	char			 err[256];

	ck_assert_int_eq(parse(&cfg, err, sizeof(err), "explain", "251", "502", NULL), 0);
	ck_assert_int_eq(cfg.mode, CLI_MODE_EXPLAIN);
	ck_assert_int_eq(cfg.nexplain, 2);
	ck_assert_str_eq(cfg.explain_args[0], "251");
	ck_assert_str_eq(cfg.explain_args[1], "502");
	cli_free(&cfg);

	ck_assert_int_eq(parse(&cfg, err, sizeof(err), "--demo", NULL), 0);
	ck_assert_int_eq(cfg.mode, CLI_MODE_DEMO);
	cli_free(&cfg);
	ck_assert_int_eq(parse(&cfg, err, sizeof(err), "--help", NULL), 0);
	ck_assert_int_eq(cfg.mode, CLI_MODE_HELP);
	cli_free(&cfg);
}
END_TEST

START_TEST(command_argument_injection)
{
	struct cli_config	 cfg;
	char			 err[256];

	memset(&cfg, 0, sizeof(cfg));
	ck_assert_int_eq(cli_parse_commands("VRFY=a\r\nDATA", &cfg, err, sizeof(err)), -1);
	ck_assert_int_eq(cli_parse_commands("VRFY=", &cfg, err, sizeof(err)), -1);
	ck_assert_int_eq(cli_parse_commands("VRFY=John Smith", &cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.cmds[0].arg, "John Smith");
	ck_assert_int_eq(cli_parse_commands("DATA", &cfg, err, sizeof(err)), -1);
	/* one result per verb in the report: a repeated verb is refused */
	ck_assert_int_eq(cli_parse_commands("VRFY=a,vrfy=b", &cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	cli_free(&cfg);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite	*s = suite_create("cli");
	TCase	*tc;

	tc = tcase_create("targets");
	tcase_add_loop_test(tc, parse_target, 0, sizeof(target_cases) / sizeof(target_cases[0]));
	tcase_add_test(tc, target_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("command line");
	tcase_add_loop_test(tc, cmdline, 0, sizeof(cmdline_cases) / sizeof(cmdline_cases[0]));
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, options_set_fields);
	tcase_add_test(tc, explain_mode);
	tcase_add_test(tc, command_argument_injection);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(cli_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
