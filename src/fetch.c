/* SPDX-License-Identifier: ISC */
/*
 * fetch - HTTPS GET through libcurl's multi socket interface on loop.c.
 *
 * libcurl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and
 * when it next needs a call (CURLMOPT_TIMERFUNCTION); we call
 * curl_multi_socket_action() when a socket is ready or the timer fires,
 * then collect finished transfers with curl_multi_info_read().  Nothing
 * here blocks: the address is given (CURLOPT_RESOLVE), so curl never
 * resolves a name itself.
 */
#include "config.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "loop.h"
#include "util.h"

struct fetch_sock {
	struct fetcher	*f;
	curl_socket_t	 fd;
	struct loop_io	 io;
};

struct fetch {
	struct fetcher		*f;
	CURL			*easy;
	struct curl_slist	*resolve;
	fetch_cb		 cb;
	void			*arg;
	struct buf		 body;
	size_t			 max_bytes;
	int			 too_large;
	uint64_t		 t0;
	char			 errbuf[CURL_ERROR_SIZE];
	struct loop_timer	 later;		/* a failure reported from the loop */
	enum fetch_error	 early;		/* that failure */
	struct fetch		*prev, *next;
};

struct fetcher {
	struct loop		*loop;
	CURLM			*multi;
	char			*cafile;
	struct loop_timer	 timer;
	struct fetch		*list;
	size_t			 n;
	int			 refusing;	/* after fetcher_abort(): no new transfer */
};

static const char *fetch_error_names[FETCH_E_LAST] = {
	"ok", "connect", "tls", "timeout", "too-large", "http", "aborted",
	"internal"
};

const char *
fetch_error_name(enum fetch_error e)
{
	return e < FETCH_E_LAST ? fetch_error_names[e] : "internal";
}

/* ---- one transfer -------------------------------------------------------- */

static enum fetch_error
fetch_classify(const struct fetch *x, CURLcode rc)
{
	if (x->too_large)
		return FETCH_E_TOO_LARGE;
	switch (rc) {
	case CURLE_OK:
		return FETCH_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return FETCH_E_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_E_TIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return FETCH_E_TOO_LARGE;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return FETCH_E_TLS;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return FETCH_E_HTTP;
	default:
		return FETCH_E_INTERNAL;
	}
}

static void
fetch_unlink(struct fetch *x)
{
	struct fetcher	*f = x->f;

	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		f->list = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	f->n--;
}

/* report x (err FETCH_OK: read the response from curl) and free it */
static void
fetch_finish(struct fetch *x, CURLcode rc, enum fetch_error forced)
{
	struct fetcher		*f = x->f;
	struct fetch_response	 res;
	char			*ct = NULL, *loc = NULL;

	memset(&res, 0, sizeof(res));
	res.err = forced != FETCH_OK ? forced : fetch_classify(x, rc);
	res.ms = (long)(loop_now(f->loop) - x->t0);
	if (x->easy != NULL) {
		(void)curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res.status);
		(void)curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		/* curl computes where a 3xx points without following it */
		(void)curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
	}
	res.content_type = ct;
	res.location = loc;
	if (res.err == FETCH_E_TOO_LARGE)
		res.error = "response larger than the cap";
	else if (res.err == FETCH_E_ABORTED)
		res.error = "aborted";
	else if (res.err != FETCH_OK)
		res.error = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc);
	buf_append(&x->body, "", 1);	/* NUL-terminate, not counted */
	res.body = x->body.data;
	res.len = x->body.len - 1;

	/* the getinfo strings live as long as the easy handle: report first */
	fetch_unlink(x);
	x->cb(&res, x->arg);
	if (x->easy != NULL) {
		curl_multi_remove_handle(f->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->resolve);
	buf_free(&x->body);
	free(x);
}

static size_t
fetch_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch	*x = arg;
	size_t		 n = size * nmemb;

	if (n > x->max_bytes || x->body.len > x->max_bytes - n) {
		x->too_large = 1;
		return 0;	/* CURLE_WRITE_ERROR: the transfer ends */
	}
	buf_append(&x->body, data, n);
	return n;
}

static void
fetch_later_cb(struct loop_timer *t, void *arg)
{
	struct fetch	*x = arg;

	fetch_finish(x, CURLE_OK, x->early);
}

/* ---- the multi handle on the loop ----------------------------------------- */

static void
fetcher_check_done(struct fetcher *f)
{
	CURLMsg		*m;
	int		 left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		char	*priv = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		(void)curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv != NULL)
			fetch_finish((struct fetch *)(void *)priv, m->data.result,
			    FETCH_OK);
	}
}

static void
fetcher_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct fetch_sock	*fs = arg;
	struct fetcher		*f = fs->f;
	int			 ev = 0, running;

	if (revents & LOOP_READ)
		ev |= CURL_CSELECT_IN;
	if (revents & LOOP_WRITE)
		ev |= CURL_CSELECT_OUT;
	if (revents & LOOP_ERROR)
		ev |= CURL_CSELECT_ERR;
	/* fs may be freed inside (CURL_POLL_REMOVE): not used after this */
	(void)curl_multi_socket_action(f->multi, fd, ev, &running);
	fetcher_check_done(f);
}

static int
fetcher_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct fetcher		*f = userp;
	struct fetch_sock	*fs = socketp;
	int			 ev = 0;

	if (what == CURL_POLL_REMOVE) {
		if (fs != NULL) {
			loop_io_stop(f->loop, &fs->io);
			curl_multi_assign(f->multi, fd, NULL);
			free(fs);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= LOOP_READ;
	if (what & CURL_POLL_OUT)
		ev |= LOOP_WRITE;
	if (fs == NULL) {
		fs = xcalloc(1, sizeof(*fs));
		fs->f = f;
		fs->fd = fd;
		curl_multi_assign(f->multi, fd, fs);
	}
	if (loop_io_start(f->loop, &fs->io, fd, ev, fetcher_io_cb, fs) == -1)
		return -1;
	return 0;
}

static void
fetcher_timer_cb(struct loop_timer *t, void *arg)
{
	struct fetcher	*f = arg;
	int		 running;

	(void)curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	fetcher_check_done(f);
}

static int
fetcher_timerfn_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher	*f = userp;

	if (timeout_ms < 0)
		loop_timer_stop(f->loop, &f->timer);
	else
		loop_timer_start(f->loop, &f->timer, (uint64_t)timeout_ms,
		    fetcher_timer_cb, f);
	return 0;
}

struct fetcher *
fetcher_new(struct loop *loop, const char *cafile, char *err, size_t errlen)
{
	static int	 inited;
	struct fetcher	*f;

	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errlen, "libcurl: initialisation failed");
			return NULL;
		}
		inited = 1;
	}
	f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	if ((f->multi = curl_multi_init()) == NULL) {
		snprintf(err, errlen, "libcurl: curl_multi_init failed");
		free(f);
		return NULL;
	}
	f->cafile = cafile != NULL ? xstrdup(cafile) : NULL;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, fetcher_socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, fetcher_timerfn_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	return f;
}

void
fetcher_abort(struct fetcher *f)
{
	f->refusing = 1;
	while (f->list != NULL) {
		struct fetch	*x = f->list;

		loop_timer_stop(f->loop, &x->later);
		fetch_finish(x, CURLE_OK, FETCH_E_ABORTED);
	}
}

void
fetcher_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	fetcher_abort(f);
	loop_timer_stop(f->loop, &f->timer);
	curl_multi_cleanup(f->multi);
	free(f->cafile);
	free(f);
}

size_t
fetcher_pending(const struct fetcher *f)
{
	return f->n;
}

/* the options of RFC 8461 3.3: HTTPS only, no redirect, verified, capped */
static int
fetch_setup(struct fetch *x, const struct fetch_request *rq)
{
	struct fetcher	*f = x->f;
	CURL		*e = x->easy;
	uint16_t	 port = rq->port != 0 ? rq->port : 443;
	char		 url[512], pin[512];
	int		 v6 = strchr(rq->address, ':') != NULL;
	int		 n, ok = 1;

	n = snprintf(url, sizeof(url), "https://%s:%u%s", rq->host, port, rq->path);
	if (n < 0 || (size_t)n >= sizeof(url))
		return -1;
	n = snprintf(pin, sizeof(pin), v6 ? "%s:%u:[%s]" : "%s:%u:%s", rq->host,
	    port, rq->address);
	if (n < 0 || (size_t)n >= sizeof(pin))
		return -1;
	if ((x->resolve = curl_slist_append(NULL, pin)) == NULL)
		return -1;
	ok &= curl_easy_setopt(e, CURLOPT_URL, url) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_RESOLVE, x->resolve) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PRIVATE, x) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85: the string form */
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK;
#else
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS) == CURLE_OK;
#endif
	ok &= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PROXY, "") == CURLE_OK;	/* no *_proxy from the environment */
	ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
	if (f->cafile != NULL) {
		/* the file instead of the system store, as for STARTTLS */
		ok &= curl_easy_setopt(e, CURLOPT_CAINFO, f->cafile) == CURLE_OK;
		ok &= curl_easy_setopt(e, CURLOPT_CAPATH, NULL) == CURLE_OK;
	}
	/* one policy host per domain: no idle connection kept for reuse */
	ok &= curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    rq->timeout_ms > 0 ? rq->timeout_ms : 10000L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)rq->max_bytes) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_write_cb) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEDATA, x) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION) ==
	    CURLE_OK;
	return ok ? 0 : -1;
}

void
fetch_start(struct fetcher *f, const struct fetch_request *rq, fetch_cb cb, void *arg)
{
	struct fetch	*x = xcalloc(1, sizeof(*x));

	x->f = f;
	x->cb = cb;
	x->arg = arg;
	x->max_bytes = rq->max_bytes;
	x->t0 = loop_now(f->loop);
	x->later.cb = fetch_later_cb;
	x->next = f->list;
	if (f->list != NULL)
		f->list->prev = x;
	f->list = x;
	f->n++;
	if (f->refusing) {
		x->early = FETCH_E_ABORTED;
		loop_timer_start(f->loop, &x->later, 0, fetch_later_cb, x);
		return;
	}
	if ((x->easy = curl_easy_init()) == NULL || fetch_setup(x, rq) == -1 ||
	    curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
		if (x->easy != NULL) {
			curl_easy_cleanup(x->easy);
			x->easy = NULL;
		}
		x->early = FETCH_E_INTERNAL;
		snprintf(x->errbuf, sizeof(x->errbuf), "cannot set up the transfer");
		loop_timer_start(f->loop, &x->later, 0, fetch_later_cb, x);
	}
	/* curl_multi_add_handle() arms the timer: the transfer starts from the loop */
}
