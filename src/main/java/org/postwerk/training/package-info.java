/**
 * The training run of the ahead-of-time cache ({@code postwerk aot-train}): a throw-away server on free loopback
 * ports and the clients that drive it through SMTP, submission, the queue, IMAP and POP3. Depends on the server;
 * nothing depends on it but the command.
 */
package org.postwerk.training;
