/**
 * The public web listeners (roles {@code web} and {@code http}) on the JDK's HTTP server (ADR 0013), and what
 * they serve: client auto-configuration for Thunderbird (autoconfig), Outlook (autodiscover POX and JSON v2) and
 * Apple devices (a {@code .mobileconfig} profile), computed from the configured listeners and host name. Answers
 * only for local domains; never echoes input it has not parsed and escaped. Knows nothing about mail sessions.
 */
package org.postwerk.web;
