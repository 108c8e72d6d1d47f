package org.postwerk.smtp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** SMTP verbs with their rules as data (a flag table, not positional booleans). */
public enum Verb {
    HELO(EnumSet.noneOf(Flag.class)),
    EHLO(EnumSet.noneOf(Flag.class)),
    MAIL(EnumSet.of(Flag.TAKES_ARGUMENT, Flag.NOT_DURING_CHUNKS)),
    RCPT(EnumSet.of(Flag.TAKES_ARGUMENT, Flag.NOT_DURING_CHUNKS)),
    DATA(EnumSet.of(Flag.NOT_DURING_CHUNKS)),
    BDAT(EnumSet.of(Flag.TAKES_ARGUMENT)),
    RSET(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    NOOP(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    QUIT(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    VRFY(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    EXPN(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    HELP(EnumSet.of(Flag.ALLOWED_BEFORE_HELO)),
    STARTTLS(EnumSet.of(Flag.NOT_DURING_CHUNKS)),
    AUTH(EnumSet.of(Flag.TAKES_ARGUMENT, Flag.NOT_DURING_CHUNKS)),
    /** Anything we do not know. */
    UNKNOWN(EnumSet.of(Flag.ALLOWED_BEFORE_HELO));

    /**
     * {@code ALLOWED_BEFORE_HELO}: processed normally before EHLO/HELO (RFC 5321 §4.1.4: NOOP, HELP, EXPN, VRFY
     * and RSET at any time; §4.1.1.10: QUIT). {@code NOT_DURING_CHUNKS}: refused with 503 while a BDAT message
     * is open (RFC 3030 §2): the envelope is fixed once content has started.
     */
    public enum Flag { ALLOWED_BEFORE_HELO, TAKES_ARGUMENT, NOT_DURING_CHUNKS }

    private static final Map<String, Verb> BY_NAME = Stream.of(values()).filter(v -> v != UNKNOWN)
            .collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    private final Set<Flag> flags;

    Verb(Set<Flag> flags) {
        this.flags = flags;
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** Case-insensitive lookup (RFC 5321 §2.4: verbs are case-insensitive). */
    public static Verb of(String word) {
        return BY_NAME.getOrDefault(word.toUpperCase(Locale.ROOT), UNKNOWN);
    }
}
