/**
 * Outbound SMTP client: one blocking connection, EHLO/HELO, STARTTLS, AUTH, pipelined transactions with
 * DATA or BDAT. Knows nothing about the queue or routing: it returns replies and never retries.
 */
package org.postwerk.smtp.client;
