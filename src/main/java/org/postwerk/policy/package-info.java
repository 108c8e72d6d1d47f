/**
 * Policy on inbound mail: combines the message authentication results (SPF, DKIM, DMARC) into verdicts and
 * the header fields that record them. Implements the SMTP server's {@code InboundChecks} seam; knows nothing
 * about sockets or storage.
 */
package org.postwerk.policy;
