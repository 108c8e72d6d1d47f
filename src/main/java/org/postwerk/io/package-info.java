/**
 * Small filesystem helpers shared by packages that keep durable state (account files, TLS bootstrap files), and
 * the free-space check of the data folder ({@link org.postwerk.io.DiskSpace}). Knows nothing about mail; never
 * swallows an I/O error (DiskSpace logs one and answers "room": the write that follows reports it).
 */
package org.postwerk.io;
