/**
 * Small filesystem helpers shared by packages that keep durable state (account files, TLS bootstrap files).
 * Knows nothing about mail; never swallows an I/O error.
 */
package org.postwerk.io;
