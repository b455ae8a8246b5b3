/* SPDX-License-Identifier: ISC */
/*
 * log - diagnostics on stderr, prefixed with the program name.
 */
#ifndef SMTPPROBE_LOG_H
#define SMTPPROBE_LOG_H

void	log_init(const char *progname, int debug);
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));	/* appends strerror(errno) */
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
