/**
 * SMTP vocabulary without sockets: replies and enhanced status codes, the command parser, address and
 * parameter records, and the strict line/DATA/BDAT reader. Shared by the server and the client.
 */
package org.postwerk.smtp;
