package org.postwerk.smtp;

/**
 * An enhanced mail system status code (RFC 3463), e.g. {@code 5.1.1}. Carried by every reply (RFC 2034).
 */
public record EnhancedStatus(int klass, int subject, int detail) {
    public EnhancedStatus {
        if (klass != 2 && klass != 4 && klass != 5) {
            throw new IllegalArgumentException("class must be 2, 4 or 5: " + klass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject/detail out of range");
        }
    }

    public static EnhancedStatus of(int klass, int subject, int detail) {
        return new EnhancedStatus(klass, subject, detail);
    }

    /** The status at the start of {@code text} ({@code 5.1.1 no such user}) when of class {@code klass}, or null. */
    public static EnhancedStatus parse(String text, int klass) {
        int sp = text.indexOf(' ');
        String first = sp < 0 ? text : text.substring(0, sp);
        if (klass != 2 && klass != 4 && klass != 5 || !first.matches("\\d\\.\\d{1,3}\\.\\d{1,3}")
                || first.charAt(0) - '0' != klass) {
            return null;
        }
        String[] p = first.split("\\.");
        return of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }

    @Override
    public String toString() {
        return klass + "." + subject + "." + detail;
    }
}
