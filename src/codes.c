/* SPDX-License-Identifier: ISC */
/*
 * codes - the reply-code knowledge base.
 *
 * Every reply code of RFC 5321 (4.2.2, 4.2.3), plus the codes that the
 * commands smtpprobe tries can bring back from extensions: ETRN (RFC 1985),
 * AUTH (RFC 4954), STARTTLS (RFC 3207), null MX (RFC 7504, RFC 7505).  For
 * each: what the server is saying, when a client meets it and what to do.
 *
 * The common enhanced status codes of RFC 3463 and its updates (RFC 3886,
 * RFC 4954, RFC 5248, RFC 6531, RFC 7372, RFC 7505), keyed class-
 * independently ("X.1.1").
 *
 * codes_status() turns a reply to VRFY, EXPN, TURN, ETRN ... into one word
 * about support, following RFC 5321 7.3 (a disabled VRFY/EXPN answers 252)
 * and 4.2.4 (502: recognized but not implemented; 500: not recognized);
 * codes_advice() says what to use instead, given the EHLO capabilities.
 *
 * Pure tables and functions: no allocation, no I/O.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "codes.h"
#include "ehlo.h"
#include "i18n.h"
#include "result.h"
#include "util.h"

/*
 * The table, in numeric order (codes_lookup() relies on it).  Codes that
 * are not RFC 5321's say where they come from in the rfc field.
 */
static const struct code_info code_table[] = {
	{ 211, N_("System status, or system help reply"),
	  N_("An informational reply: the server reports its status or gives help "
	  "text. The wording is free-form and meant for a person, not a program."),
	  N_("In answer to HELP on some servers (most use 214), or to a status "
	  "query. It does not occur during normal mail transfer."),
	  N_("Nothing needs fixing. Read the text if it is of interest, but never "
	  "base a decision on its wording."),
	  "RFC 5321 4.2.2, 4.2.3" },
	{ 214, N_("Help message"),
	  N_("The server answers a HELP request with human-readable text, often "
	  "listing the commands it knows and the software it runs."),
	  N_("In answer to HELP, with or without an argument."),
	  N_("Nothing needs fixing. To learn what the server supports, rely on its "
	  "EHLO reply instead: the list of commands in help text is informal "
	  "and often out of date."),
	  "RFC 5321 4.1.1.8, 4.2.3" },
	{ 220, N_("Service ready"),
	  N_("The server is ready to talk SMTP. The first word of the text should "
	  "be its host name; the rest is a free-form greeting."),
	  N_("As the greeting right after the TCP connection is set up, and in "
	  "answer to STARTTLS, where it means \"begin the TLS handshake now\" "
	  "(RFC 3207)."),
	  N_("Proceed: send EHLO (or, after STARTTLS, negotiate TLS and then send "
	  "EHLO again, since everything learned before TLS must be forgotten)."),
	  "RFC 5321 3.1, 4.2.3; RFC 3207 4" },
	{ 221, N_("Service closing transmission channel"),
	  N_("The server is ending the session in an orderly way and will close "
	  "the connection after this reply."),
	  N_("In answer to QUIT. A few servers also send it before dropping a "
	  "client they do not want to talk to."),
	  N_("Close the connection. After QUIT this is the expected outcome; "
	  "anywhere else, treat the rest of the session as lost."),
	  "RFC 5321 4.1.1.10, 4.2.3" },
	{ 235, N_("Authentication succeeded"),
	  N_("The AUTH exchange is complete and the server now knows who the "
	  "client is; commands that needed authentication are open."),
	  N_("At the end of a successful AUTH exchange, with enhanced code 2.7.0."),
	  N_("Carry on with the session. Credentials are only safe if the "
	  "exchange ran inside TLS."),
	  "RFC 4954 6" },
	{ 250, N_("Requested mail action okay, completed"),
	  N_("The command succeeded. For VRFY it means the server checked the "
	  "address and it names a real mailbox; for EXPN the lines that follow "
	  "are the members of the list; for TURN the server agrees to swap "
	  "roles."),
	  N_("In answer to EHLO, HELO, MAIL, RCPT, RSET, NOOP, VRFY, EXPN, ETRN, "
	  "after the end of message data, and to TURN on the rare server that "
	  "still implements it."),
	  N_("Continue with the next step. If you run the server and it gives 250 "
	  "to VRFY, EXPN or TURN, strangers can use that: see the advice for "
	  "each command."),
	  "RFC 5321 3.5.3, 4.2.3" },
	{ 251, N_("User not local; will forward"),
	  N_("The recipient's mailbox is not on this server, but the server knows "
	  "where it lives and takes responsibility for passing the message on. "
	  "The address is accepted."),
	  N_("In answer to RCPT TO or VRFY when the address is handled elsewhere "
	  "and the server is willing to relay it, for example after a user "
	  "moved. ETRN (RFC 1985) reuses the code for \"no messages waiting\"."),
	  N_("Nothing is required: delivery goes on. If the text names the new "
	  "address, update your records so later mail goes there directly."),
	  "RFC 5321 3.4, 4.2.3" },
	{ 252, N_("Cannot VRFY user, but will accept message and attempt delivery"),
	  N_("The server will not say whether the address exists, yet it would "
	  "take a message for it. This is the reply RFC 5321 asks of servers "
	  "that switch off VRFY or EXPN, so that neither a 250 nor a 550 gives "
	  "information away. ETRN (RFC 1985) uses 252 for \"pending messages "
	  "for the node are being sent\"."),
	  N_("In answer to VRFY or EXPN on a server where they are disabled. But "
	  "252 alone does not prove that: Postfix with VRFY enabled (its "
	  "default) answers 252 to every name that passes its recipient checks "
	  "and 550 5.1.1 to the others, which tells which mailboxes exist."),
	  N_("Treat the address as unverified, not as valid or invalid; to see "
	  "whether 252 is the server's answer to every name, VRFY a name that "
	  "cannot exist (smtpprobe does: a 550 5.1.1 to it is the status "
	  "enumerable). To check a mailbox, issue RCPT TO inside a transaction "
	  "(MAIL FROM, RCPT TO, then RSET) or send a test message."),
	  "RFC 5321 3.5.3, 7.3" },
	{ 253, N_("OK, pending messages for node started (ETRN)"),
	  N_("An ETRN reply: the server has begun delivering the messages queued "
	  "for the named domain and reports how many there are."),
	  N_("Only in answer to ETRN."),
	  N_("Wait for the queued mail to arrive at your server; no further "
	  "command is needed."),
	  "RFC 1985" },
	{ 334, N_("Server challenge (AUTH)"),
	  N_("An intermediate AUTH reply: the text is a base64 challenge and the "
	  "server waits for the client's base64 response line."),
	  N_("Only during an AUTH exchange."),
	  N_("Send the next response of the SASL mechanism, or a single \"*\" to "
	  "cancel the exchange."),
	  "RFC 4954 4" },
	{ 354, N_("Start mail input; end with <CRLF>.<CRLF>"),
	  N_("The server is ready for the message itself: headers and body follow, "
	  "terminated by a line holding a single dot."),
	  N_("Only in answer to DATA, after MAIL FROM and at least one accepted "
	  "RCPT TO. smtpprobe never sends DATA, so it never meets this reply."),
	  N_("Send the message with dot-stuffing, then the final \".\" line, and "
	  "wait for the reply that tells whether it was accepted."),
	  "RFC 5321 4.1.1.4, 4.2.3" },
	{ 421, N_("Service not available, closing transmission channel"),
	  N_("The server is shutting the session down and will close the "
	  "connection. The failure is transient: the same request may well "
	  "succeed later."),
	  N_("As the greeting of an overloaded or rate-limiting server, or in "
	  "answer to any command when the server is about to stop, hits a "
	  "timeout or drops a client it distrusts."),
	  N_("Close the connection and try again later, ideally after the other "
	  "MX hosts. It tells nothing about whether any command is supported."),
	  "RFC 5321 3.8, 4.2.3" },
	{ 432, N_("A password transition is needed (AUTH)"),
	  N_("The account must change its password before it may authenticate "
	  "with the chosen mechanism."),
	  N_("In answer to AUTH, usually with enhanced code 4.7.12."),
	  N_("Change the password by the provider's own means, then authenticate "
	  "again."),
	  "RFC 4954 6" },
	{ 450, N_("Requested mail action not taken: mailbox unavailable"),
	  N_("The mailbox cannot be used right now, for example because it is "
	  "locked or busy, or because a policy check needs another attempt. "
	  "The condition is expected to clear."),
	  N_("Mostly in answer to RCPT TO or MAIL FROM. Greylisting servers give "
	  "it to the first attempt from an unknown sender on purpose."),
	  N_("Retry later, as any queuing mail server does. The reply says "
	  "nothing about whether the address, or the command, is valid."),
	  "RFC 5321 4.2.3" },
	{ 451, N_("Requested action aborted: local error in processing"),
	  N_("The server ran into a problem of its own (a failed lookup, a full "
	  "queue, a policy back end that did not answer) and gave up on this "
	  "request for now."),
	  N_("In answer to MAIL, RCPT or the end of DATA; also to VRFY or EXPN "
	  "when the user database is out of reach, and as a greylisting "
	  "reply."),
	  N_("Retry later. It does not mean the command is unsupported; if it "
	  "persists for hours, tell the server's postmaster."),
	  "RFC 5321 4.2.3" },
	{ 452, N_("Requested action not taken: insufficient system storage"),
	  N_("The server is short of resources. To RCPT TO it also means \"too "
	  "many recipients in this transaction\": the addresses accepted so "
	  "far stay accepted."),
	  N_("In answer to MAIL, RCPT or DATA when the disk or queue is full, or "
	  "when a transaction names more recipients than the server allows."),
	  N_("Retry later; for too many recipients, deliver what was accepted and "
	  "send the rest in a new transaction."),
	  "RFC 5321 4.2.3, 4.5.3.1.10" },
	{ 454, N_("Temporary authentication failure, or TLS not available"),
	  N_("The server cannot complete AUTH or STARTTLS at the moment, for "
	  "example because its credential store or TLS setup is failing."),
	  N_("In answer to AUTH (enhanced code 4.7.0) or STARTTLS."),
	  N_("Retry later. Do not fall back to sending credentials in clear text "
	  "because STARTTLS failed."),
	  "RFC 4954 6; RFC 3207 4" },
	{ 455, N_("Server unable to accommodate parameters"),
	  N_("The server understands the extension parameters given with MAIL "
	  "FROM or RCPT TO, but cannot honour them at present."),
	  N_("In answer to MAIL or RCPT carrying ESMTP parameters such as SIZE or "
	  "NOTIFY, when a temporary condition prevents their use."),
	  N_("Retry later, or retry at once without the parameter if the message "
	  "does not depend on it."),
	  "RFC 5321 4.1.1.11, 4.2.3" },
	{ 458, N_("Unable to queue messages for node (ETRN)"),
	  N_("An ETRN reply: the server could not start a delivery run for the "
	  "named domain just now."),
	  N_("Only in answer to ETRN."),
	  N_("Retry later. The reply is transient and says nothing against ETRN "
	  "being supported."),
	  "RFC 1985" },
	{ 459, N_("Node not allowed (ETRN)"),
	  N_("An ETRN reply: the server refuses to start a queue run for the "
	  "named domain, and the text gives the reason."),
	  N_("Only in answer to ETRN, typically for a domain the server does not "
	  "queue mail for or a client it does not trust with the request."),
	  N_("Check that the domain is one the server relays for and that you "
	  "call from an authorised address; otherwise ask the provider."),
	  "RFC 1985" },
	{ 500, N_("Syntax error, command unrecognized"),
	  N_("The server could not make sense of the line: the command word is "
	  "unknown to it, or the line is too long or garbled."),
	  N_("In answer to any command the server has never heard of (an old or "
	  "minimal server meeting EXPN, TURN or ETRN), or to a line that "
	  "exceeds its limits."),
	  N_("Do not repeat the command: the server does not know it. Check the "
	  "EHLO reply for what it does support and use that."),
	  "RFC 5321 4.2.3, 4.2.4, 4.3.2" },
	{ 501, N_("Syntax error in parameters or arguments"),
	  N_("The command is known, but what follows it is not acceptable: a "
	  "malformed address, a missing argument or an unknown option."),
	  N_("In answer to any command with a bad argument, for example VRFY with "
	  "nothing after it, or MAIL FROM without angle brackets."),
	  N_("Correct the argument (addresses go in angle brackets, as in "
	  "<postmaster@example.org>) and send the command again."),
	  "RFC 5321 4.2.3, 4.3.2" },
	{ 502, N_("Command not implemented"),
	  N_("The server recognizes the command but does not carry it out: it was "
	  "left out or switched off. A server must not list in EHLO a feature "
	  "it answers with 502."),
	  N_("In answer to optional commands the administrator has disabled, "
	  "most often VRFY, EXPN and TURN, and sometimes HELP."),
	  N_("Use another way to reach the goal, for example RCPT TO instead of "
	  "VRFY, or ETRN/ATRN instead of TURN, and look at the EHLO reply for "
	  "what is on offer."),
	  "RFC 5321 4.2.3, 4.2.4" },
	{ 503, N_("Bad sequence of commands"),
	  N_("The command is valid, but not at this point of the session: "
	  "something else has to come first."),
	  N_("For example RCPT before MAIL, DATA before any accepted RCPT, MAIL "
	  "before EHLO, or any command before STARTTLS or AUTH on a server "
	  "that insists on them."),
	  N_("Send the missing step (EHLO, STARTTLS, AUTH or MAIL FROM) and try "
	  "again. The reply does not tell whether the command is supported."),
	  "RFC 5321 4.2.3, 4.3.2" },
	{ 504, N_("Command parameter not implemented"),
	  N_("The command is known, but the server does not implement the "
	  "argument or option it was given."),
	  N_("In answer to EHLO, VRFY, EXPN or HELP with an argument form the "
	  "server cannot handle, or to AUTH with a mechanism it does not "
	  "offer (RFC 4954)."),
	  N_("Retry without the parameter or with a simpler form; for AUTH pick a "
	  "mechanism from the EHLO AUTH line."),
	  "RFC 5321 4.2.3, 4.3.2" },
	{ 521, N_("Host does not accept mail"),
	  N_("The server states that this host never accepts mail, whatever the "
	  "sender or recipient."),
	  N_("As the greeting of a host that runs an SMTP listener only to turn "
	  "clients away, typically one named in no MX record."),
	  N_("Do not retry this host. Deliver through the domain's MX hosts, or "
	  "report the address as undeliverable."),
	  "RFC 7504 3" },
	{ 530, N_("Authentication required"),
	  N_("The server will not go on until the client has authenticated (or, "
	  "in the RFC 3207 usage, started TLS)."),
	  N_("In answer to MAIL, VRFY, EXPN, ETRN or ATRN on submission servers "
	  "and on servers that reserve those commands for known users; usually "
	  "with enhanced code 5.7.0."),
	  N_("Start TLS with STARTTLS, authenticate with AUTH using a mechanism "
	  "from the EHLO reply, then send the command again."),
	  "RFC 4954 6; RFC 3207 4" },
	{ 534, N_("Authentication mechanism is too weak"),
	  N_("The server refuses the chosen AUTH mechanism because it is not safe "
	  "enough under its policy."),
	  N_("In answer to AUTH, with enhanced code 5.7.9."),
	  N_("Choose a stronger mechanism from the EHLO AUTH line, or "
	  "authenticate over TLS."),
	  "RFC 4954 6" },
	{ 535, N_("Authentication credentials invalid"),
	  N_("The user name or password (or other credential) was not accepted."),
	  N_("At the end of an AUTH exchange, with enhanced code 5.7.8."),
	  N_("Check the credentials; repeated failures may get the client "
	  "blocked."),
	  "RFC 4954 6" },
	{ 538, N_("Encryption required for requested authentication mechanism"),
	  N_("The chosen AUTH mechanism would expose the password, and the "
	  "server only allows it inside TLS."),
	  N_("In answer to AUTH PLAIN or LOGIN before STARTTLS, with enhanced "
	  "code 5.7.11."),
	  N_("Issue STARTTLS, send EHLO again, then authenticate."),
	  "RFC 4954 6" },
	{ 550, N_("Requested action not taken: mailbox unavailable"),
	  N_("A permanent refusal: the mailbox does not exist, cannot be reached, "
	  "or the server's policy forbids the request (relaying denied, sender "
	  "blocked). The enhanced code and text tell which."),
	  N_("In answer to RCPT TO for an unknown user (often 5.1.1), to MAIL or "
	  "RCPT refused by policy (often 5.7.1), and to VRFY or EXPN on servers "
	  "that reject them outright."),
	  N_("Do not retry the same request. Correct the address, or read the "
	  "text for the policy reason and contact the postmaster if it is "
	  "wrong."),
	  "RFC 5321 4.2.3" },
	{ 551, N_("User not local; please try <forward-path>"),
	  N_("The recipient is not handled here and the server will not relay "
	  "for it; the text usually gives the address to use instead."),
	  N_("In answer to RCPT TO or VRFY for a user who has moved, on a server "
	  "that tells clients where to go rather than forwarding."),
	  N_("Send to the address named in the reply, if any; otherwise treat "
	  "the address as undeliverable."),
	  "RFC 5321 3.4, 4.2.3" },
	{ 552, N_("Requested mail action aborted: exceeded storage allocation"),
	  N_("The message is too large for the recipient's quota or the server's "
	  "limit. Older servers also used it for too many recipients."),
	  N_("In answer to MAIL FROM with a SIZE parameter over the limit, to "
	  "RCPT TO, or at the end of DATA."),
	  N_("Send a smaller message (compare with the EHLO SIZE value) or ask "
	  "the recipient to clear space."),
	  "RFC 5321 4.2.3, 4.5.3.1.10" },
	{ 553, N_("Requested action not taken: mailbox name not allowed"),
	  N_("The address is unacceptable as written: bad syntax, a forbidden "
	  "name or, in answer to VRFY or EXPN, an ambiguous one matching "
	  "several users (RFC 5321 3.5.3 \"User ambiguous\"), often with the "
	  "candidate mailboxes listed: the command works and discloses names. "
	  "The enhanced code tells the cases apart: X.1.3 bad syntax, X.1.4 "
	  "ambiguous, X.7.x policy."),
	  N_("In answer to MAIL FROM or RCPT TO with an address the server will "
	  "not accept, and to VRFY with an ambiguous name."),
	  N_("Fix the address; for VRFY, ask with a more precise name."),
	  "RFC 5321 3.5.3, 4.2.3" },
	{ 554, N_("Transaction failed (or, as a greeting, no SMTP service here)"),
	  N_("A permanent failure. As the greeting it means the server will not "
	  "serve this client at all; after DATA it means the message was "
	  "refused; elsewhere it is a catch-all policy rejection."),
	  N_("As the first reply from servers that block the client's address "
	  "(for example by a DNS block list), after the end of DATA, and in "
	  "answer to RCPT for policy reasons."),
	  N_("Do not retry unchanged. Read the text (often it names a block "
	  "list), fix the cause or contact the postmaster, or deliver through "
	  "another MX."),
	  "RFC 5321 3.1, 4.2.3" },
	{ 555, N_("MAIL FROM/RCPT TO parameters not recognized or not implemented"),
	  N_("The server rejects an extension parameter given with MAIL FROM or "
	  "RCPT TO because it does not know it or does not implement it."),
	  N_("When a client sends a parameter (such as SMTPUTF8 or RET=) that the "
	  "server did not advertise in EHLO."),
	  N_("Send only parameters the EHLO reply lists, or retry without the "
	  "parameter."),
	  "RFC 5321 4.1.1.11, 4.2.3" },
	{ 556, N_("Domain does not accept mail"),
	  N_("The recipient's domain has announced that it accepts no mail at "
	  "all, for example with a null MX record."),
	  N_("Reported by the sending side, or by a relay, for an address whose "
	  "domain publishes \"MX 0 .\" (RFC 7505)."),
	  N_("Stop trying: the address cannot receive mail. Correct it or remove "
	  "it from your lists."),
	  "RFC 7504 4; RFC 7505" },
};

/*
 * The commands each code answers: RFC 5321 4.3.2 (with its rule that
 * 421, 500 and 501 may answer anything), RFC 1985 for ETRN, RFC 4954 for
 * AUTH, RFC 3207 for STARTTLS.
 */
static const struct {
	int		 code;
	const char	*to;
} replies_to[] = {
	{ 211, N_("HELP") },
	{ 214, N_("HELP") },
	{ 220, N_("the connection (greeting), STARTTLS") },
	{ 221, N_("QUIT") },
	{ 235, N_("AUTH") },
	{ 250, N_("EHLO, HELO, MAIL, RCPT, RSET, NOOP, VRFY, EXPN, ETRN, end of DATA") },
	{ 251, N_("RCPT, VRFY, ETRN") },
	{ 252, N_("VRFY, EXPN, ETRN") },
	{ 253, N_("ETRN") },
	{ 334, N_("AUTH") },
	{ 354, N_("DATA") },
	{ 421, N_("any command, and the connection (greeting)") },
	{ 432, N_("AUTH") },
	{ 450, N_("MAIL, RCPT, end of DATA") },
	{ 451, N_("MAIL, RCPT, end of DATA, VRFY, EXPN") },
	{ 452, N_("MAIL, RCPT, end of DATA") },
	{ 454, N_("AUTH, STARTTLS") },
	{ 455, N_("MAIL, RCPT") },
	{ 458, N_("ETRN") },
	{ 459, N_("ETRN") },
	{ 500, N_("any command") },
	{ 501, N_("any command") },
	{ 502, N_("VRFY, EXPN, HELP, TURN, ETRN and other optional commands; EHLO on a pre-ESMTP server") },
	{ 503, N_("MAIL, RCPT, DATA, and commands sent out of order") },
	{ 504, N_("EHLO, HELO, VRFY, EXPN, HELP, AUTH") },
	{ 521, N_("the connection (greeting)") },
	{ 530, N_("MAIL, RCPT, VRFY, EXPN, ETRN, ATRN (before AUTH or STARTTLS)") },
	{ 534, N_("AUTH") },
	{ 535, N_("AUTH") },
	{ 538, N_("AUTH") },
	{ 550, N_("EHLO, HELO, MAIL, RCPT, VRFY, EXPN, end of DATA") },
	{ 551, N_("RCPT, VRFY") },
	{ 552, N_("MAIL, RCPT, end of DATA") },
	{ 553, N_("MAIL, RCPT, VRFY") },
	{ 554, N_("the connection (greeting), RCPT, DATA, end of DATA") },
	{ 555, N_("MAIL, RCPT") },
	{ 556, N_("RCPT (reported by a relay), the sender's own bounce") },
};

/*
 * Enhanced status codes, class-independent, in subject/detail order.
 * RFC 3463 unless the meaning names another RFC.
 */
static const struct enhanced_info enh_table[] = {
	{ "X.0.0", N_("Other undefined status"),
	  N_("No more precise code applies; the reply text has the details.") },

	{ "X.1.0", N_("Other address status"),
	  N_("Something is wrong with an address, without a more specific code.") },
	{ "X.1.1", N_("Bad destination mailbox address"),
	  N_("The mailbox part (left of the @) does not exist at the destination: "
	  "the classic \"no such user\".") },
	{ "X.1.2", N_("Bad destination system address"),
	  N_("The domain part does not name a system that accepts mail, for "
	  "example it has no MX or address records.") },
	{ "X.1.3", N_("Bad destination mailbox address syntax"),
	  N_("The recipient address is not syntactically valid.") },
	{ "X.1.4", N_("Destination mailbox address ambiguous"),
	  N_("The address matches more than one mailbox at the destination.") },
	{ "X.1.5", N_("Destination address valid"),
	  N_("The recipient address is acceptable; used with success replies.") },
	{ "X.1.6", N_("Destination mailbox has moved, no forwarding address"),
	  N_("The mailbox used to exist but has moved and no new address is known.") },
	{ "X.1.7", N_("Bad sender's mailbox address syntax"),
	  N_("The sender (MAIL FROM) address is not syntactically valid.") },
	{ "X.1.8", N_("Bad sender's system address"),
	  N_("The sender's domain does not exist or cannot receive replies, so "
	  "the server will not accept mail from it.") },
	{ "X.1.9", N_("Message relayed to non-compliant mailer"),
	  N_("The message went on to a system that does not support delivery "
	  "status notifications, so no further reports will come (RFC 3886).") },
	{ "X.1.10", N_("Recipient address has null MX"),
	  N_("The recipient's domain publishes a null MX and accepts no mail "
	  "(RFC 7505).") },

	{ "X.2.0", N_("Other or undefined mailbox status"),
	  N_("The mailbox exists, but something about it prevents delivery.") },
	{ "X.2.1", N_("Mailbox disabled, not accepting messages"),
	  N_("The mailbox exists but is switched off, for example a closed "
	  "account.") },
	{ "X.2.2", N_("Mailbox full"),
	  N_("The recipient is over quota.") },
	{ "X.2.3", N_("Message length exceeds administrative limit"),
	  N_("The message is larger than the mailbox's per-message limit.") },
	{ "X.2.4", N_("Mailing list expansion problem"),
	  N_("The address is a mailing list that could not be expanded.") },

	{ "X.3.0", N_("Other or undefined mail system status"),
	  N_("The destination system has a problem not covered by another code.") },
	{ "X.3.1", N_("Mail system full"),
	  N_("The destination system has run out of storage.") },
	{ "X.3.2", N_("System not accepting network messages"),
	  N_("The host is not accepting mail at the moment, for example during "
	  "shutdown.") },
	{ "X.3.3", N_("System not capable of selected features"),
	  N_("The message asks for features the destination system lacks.") },
	{ "X.3.4", N_("Message too big for system"),
	  N_("The message exceeds the system-wide size limit.") },
	{ "X.3.5", N_("System incorrectly configured"),
	  N_("The destination system is misconfigured and cannot deliver.") },

	{ "X.4.0", N_("Other or undefined network or routing status"),
	  N_("Delivery failed on the way, for a reason without its own code.") },
	{ "X.4.1", N_("No answer from host"),
	  N_("The next hop did not accept the connection or did not answer.") },
	{ "X.4.2", N_("Bad connection"),
	  N_("A connection was made but broke or behaved badly during the "
	  "session.") },
	{ "X.4.3", N_("Directory server failure"),
	  N_("A lookup service needed for routing (DNS, LDAP) failed.") },
	{ "X.4.4", N_("Unable to route"),
	  N_("No route to the destination could be found, for example no MX or "
	  "address records.") },
	{ "X.4.5", N_("Mail system congestion"),
	  N_("The system is too busy to take the message now.") },
	{ "X.4.6", N_("Routing loop detected"),
	  N_("The message has passed through too many hops or came back to a "
	  "system it had already visited.") },
	{ "X.4.7", N_("Delivery time expired"),
	  N_("The message sat in the queue longer than allowed and was given up.") },

	{ "X.5.0", N_("Other or undefined protocol status"),
	  N_("The SMTP exchange went wrong in a way without its own code.") },
	{ "X.5.1", N_("Invalid command"),
	  N_("The command is unknown, not implemented or out of sequence.") },
	{ "X.5.2", N_("Syntax error"),
	  N_("The command could not be parsed.") },
	{ "X.5.3", N_("Too many recipients"),
	  N_("The transaction names more recipients than the server allows.") },
	{ "X.5.4", N_("Invalid command arguments"),
	  N_("The command is valid but an argument is not.") },
	{ "X.5.5", N_("Wrong protocol version"),
	  N_("The two sides do not speak a compatible protocol version.") },
	{ "X.5.6", N_("Authentication exchange line is too long"),
	  N_("An AUTH line exceeded the server's limit (RFC 4954).") },

	{ "X.6.0", N_("Other or undefined media error"),
	  N_("Something about the message content prevents delivery.") },
	{ "X.6.1", N_("Media not supported"),
	  N_("The content type is not supported by the destination.") },
	{ "X.6.2", N_("Conversion required and prohibited"),
	  N_("The content would have to be converted, but conversion is not "
	  "allowed.") },
	{ "X.6.3", N_("Conversion required but not supported"),
	  N_("The content would have to be converted and the system cannot do "
	  "it.") },
	{ "X.6.4", N_("Conversion with loss performed"),
	  N_("The message was delivered after a conversion that lost data.") },
	{ "X.6.5", N_("Conversion failed"),
	  N_("A needed content conversion was tried and failed.") },
	{ "X.6.7", N_("Non-ASCII addresses not permitted"),
	  N_("An internationalized (UTF-8) address was used where the server "
	  "does not allow it (RFC 6531).") },

	{ "X.7.0", N_("Other or undefined security status"),
	  N_("A security or policy condition blocks the request; often seen with "
	  "530 (authentication required) or as a general policy refusal.") },
	{ "X.7.1", N_("Delivery not authorized, message refused"),
	  N_("Policy forbids this sender, client or relay path: relaying denied, "
	  "client on a block list, and similar refusals.") },
	{ "X.7.2", N_("Mailing list expansion prohibited"),
	  N_("The sender is not allowed to send to, or expand, this list.") },
	{ "X.7.3", N_("Security conversion required but not possible"),
	  N_("A security conversion the message needs cannot be done.") },
	{ "X.7.4", N_("Security features not supported"),
	  N_("The message requests security features the system lacks.") },
	{ "X.7.5", N_("Cryptographic failure"),
	  N_("Verifying or decrypting a protected message failed.") },
	{ "X.7.6", N_("Cryptographic algorithm not supported"),
	  N_("The message uses an algorithm the system does not support.") },
	{ "X.7.7", N_("Message integrity failure"),
	  N_("The message was altered or damaged in transit.") },
	{ "X.7.8", N_("Authentication credentials invalid"),
	  N_("AUTH failed: wrong user name, password or other credential "
	  "(RFC 4954).") },
	{ "X.7.9", N_("Authentication mechanism is too weak"),
	  N_("The server's policy rejects the chosen AUTH mechanism (RFC 4954).") },
	{ "X.7.10", N_("Encryption needed"),
	  N_("A strong privacy layer such as TLS is needed first (RFC 5248).") },
	{ "X.7.11", N_("Encryption required for requested authentication mechanism"),
	  N_("The chosen AUTH mechanism is only allowed inside TLS (RFC 4954).") },
	{ "X.7.12", N_("A password transition is needed"),
	  N_("The user must change the password before authenticating (RFC 4954).") },
	{ "X.7.13", N_("User account disabled"),
	  N_("The account exists but has been disabled (RFC 5248).") },
	{ "X.7.14", N_("Trust relationship required"),
	  N_("The server only accepts this from systems it has a trust "
	  "arrangement with (RFC 5248).") },
	{ "X.7.26", N_("Multiple authentication checks failed"),
	  N_("Several sender checks (SPF, DKIM, reverse DNS ...) failed together "
	  "(RFC 7372).") },
	{ "X.7.27", N_("Sender address has null MX"),
	  N_("The sender's domain publishes a null MX, so replies could never be "
	  "delivered and the message is refused (RFC 7505).") },
};

/* "ddd" with class 1 to 5 but any 2nd/3rd digit is accepted by lookups. */
static int
codes_valid(int code)
{
	return code >= 200 && code <= 599;
}

/*
 * codes_lookup - the entry for a three-digit code
 *
 * Returns NULL for a code the table does not hold.  Binary search: the
 * table is sorted by code.
 */
const struct code_info *
codes_lookup(int code)
{
	size_t	 lo = 0, hi = nitems(code_table), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (code_table[mid].code == code)
			return &code_table[mid];
		if (code_table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * codes_all - the whole table, in numeric order
 *
 * Stores the number of entries in *n (if n is not NULL).
 */
const struct code_info *
codes_all(size_t *n)
{
	if (n != NULL)
		*n = nitems(code_table);
	return code_table;
}

/*
 * codes_replies_to - the commands a code is an answer to
 *
 * A short list for humans (RFC 5321 4.3.2 and the extension RFCs), or
 * NULL for a code the table does not hold.
 */
const char *
codes_replies_to(int code)
{
	size_t	 i;

	for (i = 0; i < nitems(replies_to); i++)
		if (replies_to[i].code == code)
			return replies_to[i].to;
	return NULL;
}

/*
 * codes_class_name - the reply class from the first digit (RFC 5321
 * 4.2.1)
 *
 * Returns NULL for a code outside 200-599 (1yz is not used by SMTP).
 */
const char *
codes_class_name(int code)
{
	if (!codes_valid(code))
		return NULL;
	switch (code / 100) {
	case 2:
		return "positive completion";
	case 3:
		return "positive intermediate";
	case 4:
		return "transient negative completion";
	case 5:
		return "permanent negative completion";
	}
	return NULL;
}

/*
 * codes_class_short - "2xx positive completion" style label
 *
 * Returns NULL where codes_class_name() does.
 */
const char *
codes_class_short(int code)
{
	if (!codes_valid(code))
		return NULL;
	switch (code / 100) {
	case 2:
		return N_("2xx positive completion");
	case 3:
		return N_("3xx positive intermediate");
	case 4:
		return N_("4xx transient negative completion");
	case 5:
		return N_("5xx permanent negative completion");
	}
	return NULL;
}

/* one to three digits, no leading zero (RFC 3463 2: subject, detail) */
static const char *
enh_number(const char *s, int *v)
{
	int	 n = 0, len = 0;

	if (*s == '0') {
		*v = 0;
		return s + 1;
	}
	while (*s >= '0' && *s <= '9' && len < 3) {
		n = n * 10 + (*s - '0');
		s++;
		len++;
	}
	if (len == 0)
		return NULL;
	*v = n;
	return s;
}

/*
 * codes_parse_enhanced - split "5.1.1" into its three numbers
 *
 * The class is 2, 4 or 5 (or 'X' for the class-independent form, stored
 * as 0); subject and detail have one to three digits and no leading zero
 * (RFC 3463 2).  Nothing may follow.  Any of cls, subject, detail may be
 * NULL.  Returns 0, or -1 for malformed input (including NULL).
 */
int
codes_parse_enhanced(const char *s, int *cls, int *subject, int *detail)
{
	int	 c, sub, det;

	if (s == NULL)
		return -1;
	switch (*s) {
	case '2': case '4': case '5':
		c = *s - '0';
		break;
	case 'X': case 'x':
		c = 0;
		break;
	default:
		return -1;
	}
	s++;
	if (*s++ != '.')
		return -1;
	if ((s = enh_number(s, &sub)) == NULL || *s++ != '.')
		return -1;
	if ((s = enh_number(s, &det)) == NULL || *s != '\0')
		return -1;
	if (cls != NULL)
		*cls = c;
	if (subject != NULL)
		*subject = sub;
	if (detail != NULL)
		*detail = det;
	return 0;
}

/*
 * codes_lookup_enhanced - the entry for an enhanced status code
 *
 * Accepts "2.1.1", "4.1.1", "5.1.1" or "X.1.1" alike: the entries are
 * class-independent.  Returns NULL for malformed input or a code the
 * table does not hold.
 */
const struct enhanced_info *
codes_lookup_enhanced(const char *enhanced)
{
	int	 sub, det, esub, edet;
	size_t	 i;

	if (codes_parse_enhanced(enhanced, NULL, &sub, &det) == -1)
		return NULL;
	for (i = 0; i < nitems(enh_table); i++) {
		if (codes_parse_enhanced(enh_table[i].code, NULL, &esub,
		    &edet) == -1)
			continue;
		if (esub == sub && edet == det)
			return &enh_table[i];
	}
	return NULL;
}

/*
 * codes_enhanced_all - the enhanced-code table (for listings and tests)
 */
const struct enhanced_info *
codes_enhanced_all(size_t *n)
{
	if (n != NULL)
		*n = nitems(enh_table);
	return enh_table;
}

static int
verb_is(const char *verb, const char *name)
{
	return verb != NULL && strcasecmp(verb, name) == 0;
}

/* the enhanced code is X.<subject>.<detail> (any class) */
static int
enhanced_is(const char *enhanced, int subject, int detail)
{
	int	 sub, det;

	return codes_parse_enhanced(enhanced, NULL, &sub, &det) == 0 &&
	    sub == subject && det == detail;
}

static int
enhanced_none(const char *enhanced)
{
	return enhanced == NULL || enhanced[0] == '\0';
}

/*
 * codes_status_mailbox - a 5xx to VRFY or EXPN that answers about the
 * mailbox rather than about the command (5.7.x policy is handled before).
 *
 * RFC 5321 3.5.3 lists the replies a working VRFY/EXPN gives: 250, 251,
 * 252, 550 (no such mailbox), 551 "User not local; please try
 * <forward-path>" and 553 "User ambiguous", the latter often listing the
 * candidate mailboxes.  RFC 3463: subject 1 (X.1.x) is about the address,
 * X.1.1 "bad destination mailbox address" means the mailbox does not
 * exist; subject 7 is security policy.  So:
 *   551 (not 5.7.x): the server knows the user and names where it lives,
 *       the refusing sibling of 251 (RFC 5321 3.4) -> ST_NOT_LOCAL
 *   X.1.1 on a 55x: "no such mailbox" -> ST_UNKNOWN_MAILBOX (501 stays
 *       a syntax error: the argument, not the mailbox)
 *   553 but X.1.3 (bad address syntax): "ambiguous", names follow
 *       -> ST_AMBIGUOUS
 * A 550 without an enhanced code is left to the caller: alone it may be a
 * refusal of the command as well as "no such mailbox" (codes_verdict()
 * reads it against the control probe).  ST_NOT_TRIED: none of these.
 */
static enum cmd_status
codes_status_mailbox(int code, const char *enhanced)
{
	if (code == 551)
		return ST_NOT_LOCAL;
	if (code / 10 == 55 && enhanced_is(enhanced, 1, 1))
		return ST_UNKNOWN_MAILBOX;
	if (code == 553 && !enhanced_is(enhanced, 1, 3))
		return ST_AMBIGUOUS;
	return ST_NOT_TRIED;
}

/*
 * codes_status - what reply `code' to `verb' says about support for it
 *
 * 2xx is support, except 252 to VRFY/EXPN, which RFC 5321 7.3 reserves for
 * "disabled, but the message would be tried" (ETRN's 252 and 253 are
 * RFC 1985 successes).  4xx is always ST_TEMPORARY: greylisting and
 * overload say nothing about support.  500/502/504 keep their meaning
 * even with a 5.7.x enhanced code; other 5xx with 5.7.x are policy
 * refusals.  530 (and AUTH's 534/538) is ST_AUTH_REQUIRED even with
 * 5.7.0, its usual companion (RFC 4954 6).  Code 0 (no reply) or outside
 * 200-599 is ST_ERROR.
 */
enum cmd_status
codes_status(const char *verb, int code, const char *enhanced)
{
	enum cmd_status	 st;
	int		 cls, sub;

	if (!codes_valid(code))
		return ST_ERROR;
	switch (code / 100) {
	case 2:
		/*
		 * Only the success codes a command is defined to return count
		 * as support: a 221 or 214 to VRFY is nonsense, not a leak.
		 */
		if (code == 250)
			return ST_SUPPORTED;
		if (code == 251 && !verb_is(verb, "HELP") && !verb_is(verb, "NOOP"))
			return ST_SUPPORTED;	/* RFC 5321 3.5.1; RFC 1985 */
		if (code == 252 && (verb_is(verb, "VRFY") ||
		    verb_is(verb, "EXPN")))
			return ST_CANNOT_VERIFY;	/* RFC 5321 7.3 */
		if ((code == 252 || code == 253) && verb_is(verb, "ETRN"))
			return ST_SUPPORTED;	/* RFC 1985 5 */
		if ((code == 211 || code == 214) && verb_is(verb, "HELP"))
			return ST_SUPPORTED;	/* RFC 5321 4.1.1.8 */
		if ((code == 220 && verb_is(verb, "STARTTLS")) ||
		    (code == 221 && verb_is(verb, "QUIT")) ||
		    (code == 235 && verb_is(verb, "AUTH")))
			return ST_SUPPORTED;	/* RFC 3207 4, 5321 4.1.1.10, 4954 6 */
		return ST_UNEXPECTED;
	case 3:
		/* the only 3xx replies: DATA's go-ahead, AUTH's challenge */
		if ((code == 354 && verb_is(verb, "DATA")) ||
		    (code == 334 && verb_is(verb, "AUTH")))
			return ST_SUPPORTED;
		return ST_UNEXPECTED;
	case 4:
		return ST_TEMPORARY;
	}

	switch (code) {
	case 500:
		return ST_NOT_RECOGNIZED;
	case 502:
		return ST_NOT_IMPLEMENTED;
	case 504:
		return ST_PARAM_NOT_IMPLEMENTED;
	case 530:
	case 534:
	case 538:
		return ST_AUTH_REQUIRED;
	}
	if (codes_parse_enhanced(enhanced, &cls, &sub, NULL) == 0 &&
	    cls == 5 && sub == 7)
		return ST_REFUSED;
	if (verb_is(verb, "VRFY") || verb_is(verb, "EXPN"))
		if ((st = codes_status_mailbox(code, enhanced)) != ST_NOT_TRIED)
			return st;
	switch (code) {
	case 501:
		return ST_SYNTAX;
	case 503:
		return ST_BAD_SEQUENCE;
	case 521:	/* RFC 7504: host does not accept mail */
	case 550:
	case 551:
	case 552:
	case 553:
	case 554:
	case 555:
	case 556:
	case 535:	/* RFC 4954: credentials rejected */
		return ST_REFUSED;
	}
	return ST_UNEXPECTED;
}

/*
 * codes_needs_control - see codes.h
 *
 * Only a VRFY answered 2xx or 252 leaves the question open: 252 is what
 * RFC 5321 7.3 asks of a disabled VRFY, but Postfix with VRFY enabled
 * answers 252 to every name that passes its recipient checks and 550
 * 5.1.1 to the others (smtpd.c vrfy_cmd()); a 250 may come from a server
 * that confirms every name.  Every other reply decides alone, so no
 * second command is sent for it (the fewer VRFYs, the less the probe
 * looks like address harvesting).
 */
int
codes_needs_control(const char *verb, enum cmd_status st)
{
	return verb_is(verb, "VRFY") &&
	    (st == ST_SUPPORTED || st == ST_CANNOT_VERIFY);
}

/*
 * codes_verdict - see codes.h
 *
 * The control is a made-up name that cannot exist.  If the server
 * accepted or "could not verify" the real name but says the made-up one
 * does not exist (X.1.1, or a bare 550, which RFC 5321 3.5.3 gives as
 * "no such mailbox"), its answers depend on whether a mailbox exists:
 * an enumeration oracle (RFC 5321 7.3), ST_ENUMERABLE.  The same answer
 * to both (Exim, aiosmtpd, Haraka: 252 to everything) proves nothing,
 * and the first reply's status stands.
 */
enum cmd_status
codes_verdict(const char *verb, int code, const char *enhanced, int ccode,
    const char *cenhanced)
{
	enum cmd_status	 st, cst;

	st = codes_status(verb, code, enhanced);
	if (ccode == 0 || !codes_needs_control(verb, st))
		return st;
	cst = codes_status(verb, ccode, cenhanced);
	if (cst == ST_UNKNOWN_MAILBOX ||
	    (ccode == 550 && enhanced_none(cenhanced)))
		return ST_ENUMERABLE;
	return st;
}

/*
 * codes_status_open - see codes.h
 */
int
codes_status_open(enum cmd_status st)
{
	switch (st) {
	case ST_SUPPORTED:
	case ST_ENUMERABLE:
	case ST_UNKNOWN_MAILBOX:
	case ST_AMBIGUOUS:
	case ST_NOT_LOCAL:
		return 1;
	case ST_CANNOT_VERIFY:
	case ST_NOT_IMPLEMENTED:
	case ST_NOT_RECOGNIZED:
	case ST_PARAM_NOT_IMPLEMENTED:
	case ST_REFUSED:
	case ST_AUTH_REQUIRED:
	case ST_BAD_SEQUENCE:
	case ST_SYNTAX:
		return 0;
	default:	/* temporary, unexpected, error, not tried */
		return -1;
	}
}

/* ---- advice ------------------------------------------------------------ */

static const char adv_temporary[] =
    N_("Temporary failure: retry later. A 4xx reply says nothing about whether "
    "the command is supported; greylisting, rate limits and overload all "
    "answer this way.");
static const char adv_auth_caps[] =
    N_("The server wants authentication first: issue STARTTLS, then AUTH "
    "(RFC 4954) with a mechanism from its EHLO reply, and repeat the "
    "command.");
static const char adv_auth_nocaps[] =
    N_("The server wants authentication first, but it did not advertise AUTH "
    "on this connection: AUTH (RFC 4954) is often offered only after "
    "STARTTLS or on the submission port 587; authenticate over TLS, then "
    "repeat the command.");
static const char adv_bad_sequence[] =
    N_("The server expects another command first (EHLO, STARTTLS, AUTH or "
    "MAIL FROM); support for this command is unknown until it is sent in "
    "the right place.");
static const char adv_error[] =
    N_("No usable reply (timeout, reset or protocol error): check "
    "connectivity and retry; nothing can be concluded about the command.");
static const char adv_unexpected[] =
    N_("The reply code makes no sense for this command: keep the transcript "
    "and treat support as unknown.");

static const char adv_vrfy_supported[] =
    N_("VRFY tells which mailboxes exist, so anyone can enumerate valid "
    "addresses for spam and phishing (RFC 5321 7.3). Disable it: Postfix "
    "disable_vrfy_command = yes; Sendmail PrivacyOptions=novrfy; Exim "
    "refuses VRFY unless an acl_smtp_vrfy ACL accepts it. A disabled VRFY "
    "should answer 252 to every name alike (RFC 5321 7.3).");
static const char adv_vrfy_252[] =
    N_("VRFY answers 252: it neither confirms nor denies the name, the answer "
    "RFC 5321 7.3 recommends for a disabled VRFY. To check a mailbox, "
    "use RCPT TO inside a transaction: MAIL FROM:<you>, RCPT TO:<address>, "
    "then RSET (never DATA); or send a test message. Servers that accept "
    "every recipient make RCPT inconclusive too.");
static const char adv_vrfy_off[] =
    N_("VRFY is not available. To check a mailbox, use RCPT TO inside a "
    "transaction: MAIL FROM:<you>, RCPT TO:<address>, then RSET (never "
    "DATA); a 550 5.1.1 means no such user. Or send a test message.");
static const char adv_vrfy_syntax[] =
    N_("The server rejected the argument: give VRFY a plain user name or a "
    "full address in angle brackets. To check a mailbox without VRFY, use "
    "RCPT TO inside a transaction, then RSET.");

static const char adv_expn_supported[] =
    N_("EXPN discloses the members of mailing lists, the targets of aliases "
    "or whether a name exists (RFC 5321 7.3). Disable it (answer 252 or "
    "502): Sendmail PrivacyOptions=noexpn; Exim refuses EXPN unless an "
    "acl_smtp_expn ACL accepts it; Postfix does not implement EXPN.");
static const char adv_expn_off[] =
    N_("EXPN is not available, which is the usual and safer setting. To learn "
    "who is on a list, ask the list's owner for its membership (by "
    "convention <list>-request@domain, RFC 2142).");
static const char adv_expn_syntax[] =
    N_("The server rejected the argument: give EXPN the list name alone. If "
    "EXPN stays closed, ask the list's owner for its membership.");

static const char adv_turn_supported[] =
    N_("Dangerous: the server agreed to TURN, which reverses roles without "
    "authenticating the client, so anyone who claims a domain can pull its "
    "queued mail. TURN is obsolete (RFC 5321 App. F.1): disable it and offer "
    "ETRN (RFC 1985) or authenticated ATRN (RFC 2645) instead.");
static const char adv_turn_both[] =
    N_("TURN is obsolete (RFC 5321 App. F.1). This server advertises both "
    "replacements: use ETRN <domain> (RFC 1985) to have it deliver the "
    "queued mail to your MX, or ATRN (RFC 2645, ODMR, port 366) after AUTH "
    "to collect it over the same connection.");
static const char adv_turn_etrn[] =
    N_("TURN is obsolete (RFC 5321 App. F.1): use ETRN <domain> (RFC 1985), which "
    "this server advertises; it starts delivery of the domain's queued "
    "mail to your MX host.");
static const char adv_turn_atrn[] =
    N_("TURN is obsolete (RFC 5321 App. F.1): use ATRN (RFC 2645, On-Demand Mail "
    "Relay), which this server advertises; authenticate with AUTH first, "
    "then ATRN <domain> reverses roles safely.");
static const char adv_turn_none[] =
    N_("TURN is obsolete (RFC 5321 App. F.1). Its replacements are ETRN (RFC 1985: "
    "the server flushes the queue to your MX) and ATRN (RFC 2645, ODMR on "
    "port 366, authenticated), but this server advertises neither: ask the "
    "provider how queued mail for your domain is released.");

static const char adv_etrn_supported[] =
    N_("ETRN works: the server starts delivering the named domain's queue to "
    "that domain's MX (RFC 1985). It is safe because mail only goes to the "
    "registered MX; restrict it to domains the server relays for.");
static const char adv_etrn_temporary[] =
    N_("The server could not start a queue run now (RFC 1985: 458 cannot "
    "queue, 459 node not allowed). Retry later, and check that the domain "
    "is one the server queues mail for.");
static const char adv_etrn_off_atrn[] =
    N_("ETRN is not available, but the server advertises ATRN (RFC 2645, "
    "ODMR): authenticate with AUTH, then ATRN <domain> to collect queued "
    "mail over the connection.");
static const char adv_etrn_off[] =
    N_("ETRN is not available and ATRN is not advertised either: queued mail "
    "arrives only when the server retries on its own schedule; ask the "
    "provider how to release it sooner.");

static const char adv_atrn_supported[] =
    N_("ATRN accepted: the server reverses roles and delivers the domain's "
    "queued mail over this authenticated connection (RFC 2645).");
static const char adv_atrn_auth[] =
    N_("ATRN requires authentication (RFC 2645): issue AUTH with the "
    "credentials your provider issued, then ATRN <domain>.");
static const char adv_atrn_off_etrn[] =
    N_("ATRN is not available, but the server advertises ETRN: use ETRN "
    "<domain> (RFC 1985) to have queued mail delivered to your MX.");
static const char adv_atrn_off[] =
    N_("ATRN is not available here. On-Demand Mail Relay normally runs on "
    "port 366 (RFC 2645); ask the provider for the right host and port.");

static const char adv_help_supported[] =
    N_("HELP is harmless, but its text may name the server software and "
    "version; rely on the EHLO reply to learn what is supported.");
static const char adv_help_off[] =
    N_("HELP is optional; the EHLO reply lists the extensions the server "
    "supports.");

static const char adv_noop_off[] =
    N_("RFC 5321 4.5.1 requires every server to implement NOOP; a refusal "
    "points at a broken or filtering server (or a proxy in between).");

static const char adv_rcpt_supported[] =
    N_("The address was accepted at RCPT time. Some servers accept every "
    "recipient and bounce later, so confirm with a test message if it "
    "matters.");
static const char adv_rcpt_refused[] =
    N_("The recipient was refused: an enhanced code 5.1.1 means no such user, "
    "5.7.1 a policy refusal such as relaying denied; read the text for the "
    "reason.");

static int
status_is_off(enum cmd_status st)
{
	switch (st) {
	case ST_CANNOT_VERIFY:
	case ST_NOT_IMPLEMENTED:
	case ST_NOT_RECOGNIZED:
	case ST_PARAM_NOT_IMPLEMENTED:
	case ST_REFUSED:
		return 1;
	default:
		return 0;
	}
}

/* advice that does not depend on the command */
static const char *
advice_common(enum cmd_status st, unsigned caps)
{
	switch (st) {
	case ST_TEMPORARY:
		return adv_temporary;
	case ST_AUTH_REQUIRED:
		return (caps & EXT_AUTH) ? adv_auth_caps : adv_auth_nocaps;
	case ST_BAD_SEQUENCE:
		return adv_bad_sequence;
	case ST_ERROR:
		return adv_error;
	case ST_UNEXPECTED:
		return adv_unexpected;
	default:
		return NULL;
	}
}

static const char *
advice_vrfy(enum cmd_status st)
{
	if (codes_status_open(st) == 1)
		return adv_vrfy_supported;
	switch (st) {
	case ST_SUPPORTED:
		return adv_vrfy_supported;
	case ST_CANNOT_VERIFY:
		return adv_vrfy_252;
	case ST_SYNTAX:
		return adv_vrfy_syntax;
	default:
		return status_is_off(st) ? adv_vrfy_off : NULL;
	}
}

static const char *
advice_expn(enum cmd_status st)
{
	if (codes_status_open(st) == 1)
		return adv_expn_supported;
	switch (st) {
	case ST_SUPPORTED:
		return adv_expn_supported;
	case ST_SYNTAX:
		return adv_expn_syntax;
	default:
		return status_is_off(st) ? adv_expn_off : NULL;
	}
}

static const char *
advice_turn(enum cmd_status st, unsigned caps)
{
	if (st == ST_SUPPORTED)
		return adv_turn_supported;
	/* a syntax or "unexpected" reply to TURN still means: not usable */
	if (!status_is_off(st) && st != ST_SYNTAX && st != ST_UNEXPECTED)
		return NULL;
	if ((caps & EXT_ETRN) && (caps & EXT_ATRN))
		return adv_turn_both;
	if (caps & EXT_ETRN)
		return adv_turn_etrn;
	if (caps & EXT_ATRN)
		return adv_turn_atrn;
	return adv_turn_none;
}

static const char *
advice_etrn(enum cmd_status st, unsigned caps)
{
	if (st == ST_SUPPORTED)
		return adv_etrn_supported;
	if (st == ST_TEMPORARY)
		return adv_etrn_temporary;
	if (!status_is_off(st))
		return NULL;
	return (caps & EXT_ATRN) ? adv_etrn_off_atrn : adv_etrn_off;
}

static const char *
advice_atrn(enum cmd_status st, unsigned caps)
{
	if (st == ST_SUPPORTED)
		return adv_atrn_supported;
	if (st == ST_AUTH_REQUIRED)
		return adv_atrn_auth;
	if (!status_is_off(st))
		return NULL;
	return (caps & EXT_ETRN) ? adv_atrn_off_etrn : adv_atrn_off;
}

/*
 * codes_advice - what to do about the result of `verb'
 *
 * Concrete to the EXT_* capabilities of the EHLO reply in caps: TURN
 * refused on a server advertising ETRN points at ETRN, and so on.  Returns
 * a static string, or NULL when there is nothing useful to say (a NOOP
 * that worked, a command not tried).
 */
const char *
codes_advice(const char *verb, enum cmd_status st, unsigned caps)
{
	const char	*a = NULL;

	if (st == ST_NOT_TRIED || (int)st < 0 || st >= ST_LAST)
		return NULL;
	if (verb_is(verb, "VRFY"))
		a = advice_vrfy(st);
	else if (verb_is(verb, "EXPN"))
		a = advice_expn(st);
	else if (verb_is(verb, "TURN"))
		a = advice_turn(st, caps);
	else if (verb_is(verb, "ETRN"))
		a = advice_etrn(st, caps);
	else if (verb_is(verb, "ATRN"))
		a = advice_atrn(st, caps);
	else if (verb_is(verb, "HELP"))
		a = st == ST_SUPPORTED ? adv_help_supported :
		    status_is_off(st) ? adv_help_off : NULL;
	else if (verb_is(verb, "NOOP"))
		a = status_is_off(st) ? adv_noop_off : NULL;
	else if (verb_is(verb, "RCPT"))
		a = st == ST_SUPPORTED ? adv_rcpt_supported :
		    st == ST_REFUSED ? adv_rcpt_refused : NULL;
	if (a == NULL)
		a = advice_common(st, caps);
	return a;
}

/*
 * codes_status_meaning - one line on what a status says
 *
 * Returns NULL for a value outside the enum.
 */
const char *
codes_status_meaning(enum cmd_status st)
{
	switch (st) {
	case ST_NOT_TRIED:
		return N_("the command was not sent");
	case ST_SUPPORTED:
		return N_("the server carried out the command (2xx)");
	case ST_CANNOT_VERIFY:
		return N_("disabled the RFC 5321 7.3 way: no answer either way "
		    "(252)");
	case ST_NOT_IMPLEMENTED:
		return N_("recognized but not implemented (502)");
	case ST_NOT_RECOGNIZED:
		return N_("the server does not know the command (500)");
	case ST_PARAM_NOT_IMPLEMENTED:
		return N_("the command's parameter is not implemented (504)");
	case ST_REFUSED:
		return N_("refused permanently, by policy or for this argument "
		    "(550, 5.7.x)");
	case ST_AUTH_REQUIRED:
		return N_("allowed only after authentication (530)");
	case ST_BAD_SEQUENCE:
		return N_("not allowed at this point of the session (503)");
	case ST_TEMPORARY:
		return N_("temporary failure; says nothing about support (4xx)");
	case ST_SYNTAX:
		return N_("the argument was rejected as malformed (501)");
	case ST_UNEXPECTED:
		return N_("a reply code that makes no sense for the command");
	case ST_ERROR:
		return N_("no usable reply: timeout, reset or protocol error");
	case ST_ENUMERABLE:
		return N_("2xx or 252 to a real name, \"no such mailbox\" to a "
		    "made-up one: mailboxes can be enumerated");
	case ST_UNKNOWN_MAILBOX:
		return N_("the mailbox does not exist (5xx with X.1.1): an "
		    "answer about the mailbox, not a refusal of the command");
	case ST_AMBIGUOUS:
		return N_("user ambiguous (553): the server may list candidate "
		    "mailboxes");
	case ST_NOT_LOCAL:
		return N_("user not local (551): the server names where the "
		    "user receives mail");
	case ST_LAST:
		break;
	}
	return NULL;
}

/* ---- commands ---------------------------------------------------------- */

/*
 * The replies each command can bring back: RFC 5321 4.3.2 for the base
 * commands, RFC 1985 (ETRN), RFC 2645 (ATRN), RFC 3207 (STARTTLS),
 * RFC 4954 (AUTH), plus the refusals real servers send (530, 550).  A
 * note says what the code means for that command; without one, explain
 * shows the code's title.
 */
/*
 * How smtpprobe reads VRFY and EXPN (codes_status(), codes_verdict()),
 * for "smtpprobe explain VRFY"; the man page says the same.
 */
static const char codes_vrfy_reading[] =
    N_("A reply to VRFY is read by its code and its enhanced code (RFC 3463: "
    "X.1.x is about the address, X.7.x is policy). 250 and 251 confirm the "
    "name: supported. 551 (user not local, RFC 5321 3.4 and 3.5.3) says "
    "the user is known and where its mail goes: not_local. A 55x with "
    "X.1.1 says the mailbox does not exist: unknown_mailbox, an answer "
    "about the mailbox and not a refusal of the command. 553 (not X.1.3) "
    "is RFC 5321 3.5.3's \"User ambiguous\", which may list candidates: "
    "ambiguous. All four mean VRFY works and discloses names (finding "
    "vrfy-enabled). Any 5xx with X.7.x is refused. 252 alone proves "
    "nothing: RFC 5321 7.3 asks a disabled VRFY to answer 252, but Postfix "
    "with VRFY enabled (its default) answers 252 to names that pass its "
    "recipient checks and 550 5.1.1 to the others. So after a 2xx or 252, "
    "smtpprobe sends VRFY once more with a name that cannot exist "
    "(smtpprobe- and random letters, at the target domain): if that one "
    "gets 550 5.1.1 (or a bare 550, RFC 5321 3.5.3's \"no such mailbox\"), "
    "the answers tell which mailboxes exist: enumerable. The same answer to "
    "both (Exim, aiosmtpd, Haraka: 252 to every name) stays cannot_verify. "
    "--no-vrfy-control leaves the second VRFY out.");
static const char codes_expn_reading[] =
    N_("EXPN is read like VRFY's first reply (no second probe is sent): 250 "
    "supported, 551 not_local, a 55x with X.1.1 unknown_mailbox, 553 (not "
    "X.1.3) ambiguous; all of them disclose names (finding expn-enabled). "
    "252, 502, 500 and any 5xx with X.7.x mean EXPN is closed.");

static const struct command_reply rp_vrfy[] = {
	{ 250, N_("the name is a real mailbox; the text gives the full "
	  "address") },
	{ 251, N_("the user is not here, but mail to the address will be "
	  "forwarded") },
	{ 252, N_("neither a yes nor a no (RFC 5321 7.3), the answer of a "
	  "disabled VRFY; but Postfix with VRFY on gives it to every name that "
	  "passes its recipient checks, so smtpprobe asks again with a "
	  "made-up name") },
	{ 421, N_("the server is closing the session; try again later") },
	{ 451, N_("the user database could not be consulted just now") },
	{ 500, N_("the server does not know VRFY at all") },
	{ 501, N_("the argument is malformed or missing") },
	{ 502, N_("VRFY exists but is switched off here") },
	{ 504, N_("this form of argument is not supported") },
	{ 530, N_("only authenticated clients may verify") },
	{ 550, N_("no such user (with 5.1.1: unknown_mailbox, VRFY works), or "
	  "VRFY refused by policy (5.7.x, or no enhanced code)") },
	{ 551, N_("the user is known but not local; the text gives the address "
	  "to try instead") },
	{ 553, N_("the name is ambiguous; the lines may list the candidate "
	  "mailboxes (with 5.1.3, a malformed address: refused)") },
	{ 0, NULL }
};

static const struct command_reply rp_expn[] = {
	{ 250, N_("the list is expanded: one member per line of the reply") },
	{ 252, N_("EXPN is switched off (RFC 5321 7.3): no membership given") },
	{ 421, N_("the server is closing the session; try again later") },
	{ 451, N_("the list could not be read just now") },
	{ 500, N_("the server does not know EXPN at all") },
	{ 501, N_("the argument is malformed or missing") },
	{ 502, N_("EXPN exists but is switched off here") },
	{ 504, N_("this form of argument is not supported") },
	{ 530, N_("only authenticated clients may expand lists") },
	{ 550, N_("no such list (with 5.1.1: unknown_mailbox, EXPN works), or "
	  "EXPN refused by policy (5.7.x, or no enhanced code)") },
	{ 553, N_("the name is ambiguous; the lines may list the candidates") },
	{ 0, NULL }
};

static const struct command_reply rp_turn[] = {
	{ 250, N_("the server agrees to swap roles and send its queued mail: an "
	  "open hole") },
	{ 421, N_("the server is closing the session; try again later") },
	{ 500, N_("the server does not know TURN (typical of modern "
	  "software)") },
	{ 502, N_("TURN is recognized but not carried out: the safe answer") },
	{ 503, N_("the server wants other commands first") },
	{ 530, N_("TURN would need authentication first") },
	{ 550, N_("refused by policy") },
	{ 0, NULL }
};

static const struct command_reply rp_etrn[] = {
	{ 250, N_("a queue run for the domain has been started") },
	{ 251, N_("accepted, but nothing is waiting for the domain") },
	{ 252, N_("accepted: pending messages for the domain are being sent") },
	{ 253, N_("accepted: the given number of messages are being sent") },
	{ 458, N_("the queue cannot be started just now") },
	{ 459, N_("this domain may not be dequeued by this client") },
	{ 500, N_("the server does not know ETRN") },
	{ 501, N_("the domain argument is missing or malformed") },
	{ 502, N_("ETRN is recognized but switched off") },
	{ 530, N_("only authenticated clients may start queue runs") },
	{ 0, NULL }
};

static const struct command_reply rp_atrn[] = {
	{ 250, N_("the server swaps roles and delivers the domain's mail over "
	  "this connection") },
	{ 451, N_("the request cannot be processed just now") },
	{ 500, N_("the server does not know ATRN") },
	{ 502, N_("ATRN is recognized but not offered here") },
	{ 530, N_("authenticate with AUTH before ATRN (RFC 2645 requires it)") },
	{ 0, NULL }
};

static const struct command_reply rp_help[] = {
	{ 211, N_("status or help text for a person to read") },
	{ 214, N_("help text for a person to read") },
	{ 421, N_("the server is closing the session; try again later") },
	{ 500, N_("the server does not know HELP") },
	{ 501, N_("the argument is not understood") },
	{ 502, N_("HELP is switched off") },
	{ 504, N_("no help for that topic") },
	{ 0, NULL }
};

static const struct command_reply rp_noop[] = {
	{ 250, N_("the server is alive and the session is in order") },
	{ 421, N_("the server is closing the session") },
	{ 500, N_("NOOP unknown: the server (or a proxy) is broken") },
	{ 502, N_("NOOP refused: the server (or a proxy) breaks RFC 5321 "
	  "4.5.1") },
	{ 0, NULL }
};

static const struct command_reply rp_starttls[] = {
	{ 220, N_("start the TLS handshake now, then send EHLO again") },
	{ 454, N_("TLS is not available for a temporary reason") },
	{ 500, N_("the server does not know STARTTLS") },
	{ 501, N_("STARTTLS takes no argument") },
	{ 502, N_("STARTTLS is recognized but not offered") },
	{ 503, N_("TLS is already active, or another command must come first") },
	{ 0, NULL }
};

static const struct command_reply rp_ehlo[] = {
	{ 250, N_("accepted; each further line names one extension") },
	{ 421, N_("the server is closing the session") },
	{ 500, N_("a server from before ESMTP: greet it with HELO") },
	{ 501, N_("the host name given is not acceptable") },
	{ 502, N_("EHLO not implemented: fall back to HELO") },
	{ 504, N_("the argument form is not supported") },
	{ 550, N_("the client is refused by policy") },
	{ 0, NULL }
};

static const struct command_reply rp_helo[] = {
	{ 250, N_("accepted; no extensions are on offer") },
	{ 421, N_("the server is closing the session") },
	{ 501, N_("the host name given is not acceptable") },
	{ 504, N_("the argument form is not supported") },
	{ 550, N_("the client is refused by policy") },
	{ 0, NULL }
};

static const struct command_reply rp_mail[] = {
	{ 250, N_("the sender is accepted; a transaction has begun") },
	{ 421, N_("the server is closing the session") },
	{ 451, N_("a local problem (often greylisting); try later") },
	{ 452, N_("the server is short of storage") },
	{ 455, N_("the parameters cannot be honoured just now") },
	{ 501, N_("the address or a parameter is malformed") },
	{ 503, N_("EHLO first, or a transaction is already open") },
	{ 530, N_("authentication is needed before sending") },
	{ 550, N_("the sender is refused by policy") },
	{ 552, N_("the declared SIZE is over the limit") },
	{ 553, N_("the sender address is not allowed") },
	{ 555, N_("a parameter is not recognized or not implemented") },
	{ 0, NULL }
};

static const struct command_reply rp_rcpt[] = {
	{ 250, N_("the recipient is accepted") },
	{ 251, N_("accepted; the server will forward it elsewhere") },
	{ 421, N_("the server is closing the session") },
	{ 450, N_("the mailbox is unavailable for now (often greylisting)") },
	{ 451, N_("a local problem; try later") },
	{ 452, N_("too many recipients, or short of storage") },
	{ 455, N_("the parameters cannot be honoured just now") },
	{ 501, N_("the address is malformed") },
	{ 503, N_("MAIL FROM must come first") },
	{ 550, N_("no such user (5.1.1) or refused by policy (5.7.1)") },
	{ 551, N_("the user is not here and will not be relayed") },
	{ 552, N_("the mailbox is over quota") },
	{ 553, N_("the address is not allowed") },
	{ 554, N_("refused by policy") },
	{ 555, N_("a parameter is not recognized or not implemented") },
	{ 0, NULL }
};

static const struct command_reply rp_data[] = {
	{ 354, N_("send the message now; end it with a line holding a dot") },
	{ 421, N_("the server is closing the session") },
	{ 451, N_("a local problem; try later") },
	{ 503, N_("no recipient has been accepted yet") },
	{ 554, N_("no valid recipients, or the transaction is refused") },
	{ 0, NULL }
};

static const struct command_reply rp_rset[] = {
	{ 250, N_("the transaction is cleared; the session goes on") },
	{ 421, N_("the server is closing the session") },
	{ 501, N_("RSET takes no argument") },
	{ 0, NULL }
};

static const struct command_reply rp_quit[] = {
	{ 221, N_("goodbye: the server closes the connection") },
	{ 501, N_("QUIT takes no argument") },
	{ 0, NULL }
};

static const struct command_reply rp_auth[] = {
	{ 235, N_("authenticated") },
	{ 334, N_("a challenge: send the next SASL response") },
	{ 432, N_("the password must be changed first") },
	{ 454, N_("authentication is failing temporarily") },
	{ 500, N_("the server does not know AUTH") },
	{ 501, N_("the SASL data is malformed, or the client cancelled") },
	{ 502, N_("AUTH is not offered here") },
	{ 503, N_("already authenticated, or a transaction is open") },
	{ 504, N_("the mechanism is not supported") },
	{ 534, N_("the mechanism is too weak for the server's policy") },
	{ 535, N_("wrong credentials") },
	{ 538, N_("this mechanism is only allowed inside TLS") },
	{ 0, NULL }
};

static const char core_why[] =
    N_("Sites do not: RFC 5321 4.5.1 makes it part of the minimum every SMTP "
    "server implements. A refusal is about the client or the argument, "
    "not the command.");
static const char core_instead[] =
    N_("Nothing replaces it: every SMTP server must implement it (RFC 5321 "
    "4.5.1).");

/* in alphabetical order, for listings */
static const struct command_info command_table[] = {
	{ "ATRN", N_("Authenticated TURN (On-Demand Mail Relay)"),
	  N_("A customer with a changing IP address connects to its provider, "
	  "authenticates with AUTH, then names its domains with ATRN. The "
	  "connection then turns round: the provider acts as client and "
	  "delivers the mail it has been holding for those domains over this "
	  "same connection. It normally runs on port 366, not 25."),
	  "RFC 2645 (ODMR)",
	  N_("It is rarely disabled on purpose; most mail exchangers simply never "
	  "offered it, because On-Demand Mail Relay is a service a provider "
	  "sets up for paying customers on a separate port, with "
	  "authentication always required."),
	  NULL, EXT_ETRN, rp_atrn, NULL },
	{ "AUTH", N_("Authenticate the client (SASL)"),
	  N_("The client proves who it is with a SASL mechanism (PLAIN, LOGIN, "
	  "SCRAM ...) chosen from the AUTH line of the EHLO reply, so that the "
	  "server grants it rights such as relaying to other domains."),
	  "RFC 4954",
	  N_("A mail exchanger on port 25 receives mail for its own domains and "
	  "needs no logins; offering AUTH there invites password-guessing "
	  "bots, and offering it before STARTTLS exposes credentials. So many "
	  "MX hosts leave it out, or show it only inside TLS."),
	  N_("To send mail as a user, submit it on port 587 (RFC 6409) after "
	  "STARTTLS, or on port 465 with implicit TLS (RFC 8314); that is "
	  "where AUTH belongs. Delivering to an MX on port 25 needs no AUTH."),
	  0, rp_auth, NULL },
	{ "DATA", N_("Send the message content"),
	  N_("After MAIL FROM and at least one accepted RCPT TO, DATA asks to "
	  "send the message itself; after the 354 go-ahead the client sends "
	  "headers and body and ends with a line holding a single dot. The "
	  "reply to that dot says whether the message was taken. smtpprobe "
	  "never sends DATA."),
	  "RFC 5321 4.1.1.4", core_why, core_instead, 0, rp_data, NULL },
	{ "EHLO", N_("Extended hello: identify the client, list extensions"),
	  N_("The first command of a session: the client names itself and the "
	  "server answers with the ESMTP extensions it supports, one per "
	  "line (STARTTLS, SIZE, ETRN, AUTH ...). After STARTTLS it must be "
	  "sent again, because the earlier answer no longer counts."),
	  "RFC 5321 4.1.1.1", core_why,
	  N_("HELO (RFC 5321 4.1.1.1): a server that answers EHLO with 500 or "
	  "502 predates ESMTP; greet it with HELO and use no extensions."),
	  0, rp_ehlo, NULL },
	{ "ETRN", N_("Extended TURN: start the queue run for a domain"),
	  N_("A client asks the server to start delivering the mail it is holding "
	  "for a domain (ETRN example.org) or for a node (ETRN @example.org). "
	  "Unlike TURN it does not swap roles: the server opens new "
	  "connections to the domain's own MX hosts, so the mail can only go "
	  "where DNS says it belongs."),
	  "RFC 1985",
	  N_("The mail itself is safe, but anyone may ask: repeated requests "
	  "make the server start queue runs at will, which costs it "
	  "connections and work, and the difference between \"nothing "
	  "waiting\" and \"node not allowed\" tells a stranger which domains "
	  "it holds mail for. Sites that queue for no one turn it off."),
	  NULL, EXT_ATRN, rp_etrn, NULL },
	{ "EXPN", N_("Expand a mailing list or alias"),
	  N_("Asks the server to list the members of a mailing list or the "
	  "targets of an alias; each member comes back on its own line."),
	  "RFC 5321 4.1.1.7, 3.5",
	  N_("It hands out whole address lists: one EXPN of \"staff\" or "
	  "\"all\" can give a spammer every address of an organisation, and "
	  "it reveals internal structure. RFC 5321 7.3 allows sites to "
	  "switch it off; most do, answering 252 or 502."),
	  NULL, 0, rp_expn, codes_expn_reading },
	{ "HELO", N_("Hello: identify the client, without extensions"),
	  N_("The original greeting of RFC 821: the client names itself and the "
	  "server answers with one line. No extensions are listed, so none "
	  "may be used."),
	  "RFC 5321 4.1.1.1", core_why,
	  N_("EHLO, which every current server supports and which tells the "
	  "client what extensions are on offer."),
	  0, rp_helo, NULL },
	{ "HELP", N_("Ask for help text"),
	  N_("Returns text meant for a person: usually a list of commands and "
	  "often the name and version of the server software. With an "
	  "argument, help on that topic."),
	  "RFC 5321 4.1.1.8",
	  N_("The text can name the software and its version, which helps an "
	  "attacker pick an exploit, and it is of no use to programs. Some "
	  "sites switch it off to give less away."),
	  NULL, 0, rp_help, NULL },
	{ "MAIL", N_("Start a transaction with the sender's address"),
	  N_("MAIL FROM:<address> opens a mail transaction and gives the "
	  "return path, where bounces will go; ESMTP parameters such as "
	  "SIZE= may follow."),
	  "RFC 5321 4.1.1.2", core_why, core_instead, 0, rp_mail, NULL },
	{ "NOOP", N_("Do nothing; check the server is alive"),
	  N_("Does nothing but get a 250: a client uses it to keep a connection "
	  "open or to check that the server still answers."),
	  "RFC 5321 4.1.1.9",
	  N_("Sites should not: RFC 5321 4.5.1 requires it, and it gives nothing "
	  "away. A refusal usually comes from a broken server or a filtering "
	  "proxy in front of it."),
	  NULL, 0, rp_noop, NULL },
	{ "QUIT", N_("End the session"),
	  N_("Asks the server to close the session; it answers 221 and closes "
	  "the connection. A client should always send it rather than just "
	  "dropping the connection."),
	  "RFC 5321 4.1.1.10", core_why, core_instead, 0, rp_quit, NULL },
	{ "RCPT", N_("Name one recipient"),
	  N_("RCPT TO:<address> names one recipient of the open transaction; "
	  "the reply says whether the server takes mail for it. smtpprobe "
	  "uses it, followed by RSET and never DATA, to check a mailbox when "
	  "VRFY is closed."),
	  "RFC 5321 4.1.1.3", core_why,
	  N_("Nothing replaces it: it is required (RFC 5321 4.5.1). Note that "
	  "some servers accept every recipient and bounce later, so a 250 is "
	  "not proof that the mailbox exists."),
	  0, rp_rcpt, NULL },
	{ "RSET", N_("Abort the current transaction"),
	  N_("Throws away the sender, recipients and data of the open "
	  "transaction; the session stays open. smtpprobe sends it after a "
	  "RCPT check so that nothing is ever delivered."),
	  "RFC 5321 4.1.1.5", core_why, core_instead, 0, rp_rset, NULL },
	{ "STARTTLS", N_("Upgrade the connection to TLS"),
	  N_("Turns the plain connection into an encrypted one: after the 220 "
	  "reply both sides run the TLS handshake, then the client sends "
	  "EHLO again and everything learned before is forgotten."),
	  "RFC 3207",
	  N_("A site should never switch it off: without it mail crosses the "
	  "network in clear text. When it is missing, the usual causes are a "
	  "server with no certificate configured, or a firewall or middlebox "
	  "that strips the keyword from the EHLO reply (a downgrade attack)."),
	  N_("Nothing replaces it on port 25. A domain can publish MTA-STS "
	  "(RFC 8461) or DANE (RFC 7672) so that senders insist on TLS and "
	  "notice a stripped STARTTLS; for submission, use implicit TLS on "
	  "port 465 (RFC 8314)."),
	  0, rp_starttls, NULL },
	{ "TURN", N_("Reverse the roles of client and server"),
	  N_("The client asks the server to swap roles: the server becomes the "
	  "client and sends over this same connection the mail it holds for "
	  "the client's domain. Defined by RFC 821 for hosts that were only "
	  "online now and then."),
	  N_("RFC 821 4.1.1; RFC 5321 App. F.1 (deprecated)"),
	  N_("The server has no way to know that the client really is the host "
	  "of the domain it claims: nothing is authenticated, so anyone could "
	  "connect, say TURN and collect someone else's queued mail. RFC 5321 "
	  "App. F.1 deprecates it for that reason; it must stay off."),
	  NULL, EXT_ETRN | EXT_ATRN, rp_turn, NULL },
	{ "VRFY", N_("Verify a user name or mailbox"),
	  N_("Asks whether a user name or address is a real mailbox on this "
	  "server; a server that answers truthfully returns the full address "
	  "(250), says the user is elsewhere (251, 551), or denies it (550)."),
	  "RFC 5321 4.1.1.6, 3.5",
	  N_("It is an oracle for address harvesting: a spammer or phisher can "
	  "try thousands of names and keep the ones that answer 250, without "
	  "sending any mail. RFC 5321 7.3 lets sites switch it off and asks "
	  "them to answer 252 then, so that no answer says yes or no."),
	  NULL, 0, rp_vrfy, codes_vrfy_reading },
};

/*
 * codes_lookup_command - the entry for a command name, in any case
 *
 * Returns NULL for NULL or a name the table does not hold.
 */
const struct command_info *
codes_lookup_command(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < nitems(command_table); i++)
		if (strcasecmp(command_table[i].name, name) == 0)
			return &command_table[i];
	return NULL;
}

/*
 * codes_commands_all - the command table, in alphabetical order
 *
 * Stores the number of entries in *n (if n is not NULL).
 */
const struct command_info *
codes_commands_all(size_t *n)
{
	if (n != NULL)
		*n = nitems(command_table);
	return command_table;
}

/*
 * codes_command_instead - what to use instead of a command the server does
 * not offer
 *
 * The advice codes_advice() gives for a 502 to the command, with the
 * server's EXT_* capabilities in caps; where it has nothing to say (core
 * commands, STARTTLS, AUTH), the entry's own text.  NULL for an unknown
 * command.
 */
const char *
codes_command_instead(const char *name, unsigned caps)
{
	const struct command_info	*ci;
	const char			*a;

	if ((ci = codes_lookup_command(name)) == NULL)
		return NULL;
	a = codes_advice(ci->name, ST_NOT_IMPLEMENTED, caps);
	return a != NULL ? a : ci->instead;
}
