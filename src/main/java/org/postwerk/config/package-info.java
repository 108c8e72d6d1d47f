/**
 * Server configuration: one record per TOML section, the embedded defaults, and the loader that reads
 * {@code postwerk.toml} and reports every problem as {@code FILE:LINE: key: problem}. Owns parsing of the
 * configuration's value syntaxes (durations, sizes, CIDR networks, address literals). It must not open sockets,
 * create files or directories, or resolve names through DNS: it only describes what the server should do.
 */
package org.postwerk.config;
