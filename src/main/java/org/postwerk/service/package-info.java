/**
 * Running Postwerk as a service: the checks before a start (and in {@code check-config}) that name the port,
 * path or file at fault in one line with a sysexits(3) code, the lock that keeps a second server off a data
 * folder, and live reloads of the configuration. Knows the configuration and TLS; nothing here builds the
 * server (that is {@code Postwerk}'s job).
 */
package org.postwerk.service;
