package org.postwerk.auth.dmarc;

/** How many messages of one day share a {@link ReportRow} (RFC 7489 Appendix C {@code RowType} count). */
public record ReportCount(ReportRow row, long count) {}
