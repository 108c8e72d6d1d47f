package org.postwerk.auth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed SPF record (RFC 7208 §4.6, §12): directives in order plus the {@code redirect} and {@code exp}
 * modifiers. {@link #parse} is pure; a record with any syntax error anywhere is invalid as a whole (§4.6), which
 * the verifier turns into permerror.
 */
public record SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> exp) {
    public SpfRecord {
        directives = List.copyOf(directives);
    }

    /** RFC 7208 §4.6.2: the result a matching mechanism gives. */
    public enum Qualifier { PASS, FAIL, SOFTFAIL, NEUTRAL }

    public record Directive(Qualifier qualifier, Mechanism mechanism) {}

    /** The outcome of parsing: a record, or why it is not one. */
    public sealed interface Parse {
        record Valid(SpfRecord record) implements Parse {}

        record Invalid(String reason) implements Parse {}
    }

    /** RFC 7208 §4.6.1: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ). */
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern MECHANISM = Pattern.compile("([+?~-]?)([A-Za-z0-9]+)(.*)", Pattern.DOTALL);

    /** RFC 7208 §4.5: the record starts with "v=spf1" (any case) followed by a space or its end. */
    public static boolean isSpf(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    public static Parse parse(String text) {
        if (!isSpf(text)) {
            return new Parse.Invalid("not an SPF record");
        }
        // RFC 7208 §3.1, §4.6.1: ASCII only, and terms are separated by spaces only.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return new Parse.Invalid(String.format("character U+%04X not allowed", (int) c));
            }
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher m = MODIFIER.matcher(term);
            if (m.matches()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                Optional<MacroString> value = name.equals("redirect") || name.equals("exp")
                        ? Terms.domainSpec(m.group(2)) : MacroString.parse(m.group(2));
                if (value.isEmpty()) {
                    return new Parse.Invalid("bad value in modifier " + term);
                }
                // RFC 7208 §6: redirect and exp each appear at most once; unknown modifiers are ignored.
                if (name.equals("redirect") && redirect != null || name.equals("exp") && exp != null) {
                    return new Parse.Invalid("modifier " + name + " twice");
                }
                redirect = name.equals("redirect") ? value.get() : redirect;
                exp = name.equals("exp") ? value.get() : exp;
                continue;
            }
            Optional<Directive> directive = directive(term);
            if (directive.isEmpty()) {
                return new Parse.Invalid("bad term " + term);
            }
            directives.add(directive.get());
        }
        return new Parse.Valid(new SpfRecord(directives, Optional.ofNullable(redirect), Optional.ofNullable(exp)));
    }

    private static Optional<Directive> directive(String term) {
        Matcher m = MECHANISM.matcher(term);
        if (!m.matches()) {
            return Optional.empty();
        }
        Qualifier qualifier = switch (m.group(1)) {
            case "-" -> Qualifier.FAIL;
            case "~" -> Qualifier.SOFTFAIL;
            case "?" -> Qualifier.NEUTRAL;
            default -> Qualifier.PASS;
        };
        return Terms.mechanism(m.group(2).toLowerCase(Locale.ROOT), m.group(3))
                .map(mechanism -> new Directive(qualifier, mechanism));
    }
}
