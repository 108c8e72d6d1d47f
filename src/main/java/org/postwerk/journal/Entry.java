package org.postwerk.journal;

/** One record as a replay reads it back: its type and payload. */
public record Entry(RecordType type, byte[] payload) {}
