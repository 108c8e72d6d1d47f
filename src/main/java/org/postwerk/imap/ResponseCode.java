package org.postwerk.imap;

import java.util.List;

/**
 * The bracketed code of a status response (RFC 9051 §7.1 and the extensions we offer), as a value. The
 * session writes {@code [} + {@link #text()} + {@code ]}.
 */
public sealed interface ResponseCode {
    /** The text between the brackets, e.g. {@code UIDNEXT 4392} or {@code BADCHARSET (UTF-8)}. */
    String text();

    /** A code without arguments. */
    record Atom(String name) implements ResponseCode {
        @Override
        public String text() {
            return name;
        }
    }

    // RFC 9051 §7.1
    Atom ALERT = new Atom("ALERT");
    Atom PARSE = new Atom("PARSE");
    Atom READ_ONLY = new Atom("READ-ONLY");
    Atom READ_WRITE = new Atom("READ-WRITE");
    Atom TRYCREATE = new Atom("TRYCREATE");
    Atom UIDNOTSTICKY = new Atom("UIDNOTSTICKY");
    Atom UNAVAILABLE = new Atom("UNAVAILABLE");
    Atom AUTHENTICATIONFAILED = new Atom("AUTHENTICATIONFAILED");
    Atom AUTHORIZATIONFAILED = new Atom("AUTHORIZATIONFAILED");
    Atom EXPIRED = new Atom("EXPIRED");
    Atom PRIVACYREQUIRED = new Atom("PRIVACYREQUIRED");
    Atom CONTACTADMIN = new Atom("CONTACTADMIN");
    Atom NOPERM = new Atom("NOPERM");
    Atom INUSE = new Atom("INUSE");
    Atom EXPUNGEISSUED = new Atom("EXPUNGEISSUED");
    Atom CORRUPTION = new Atom("CORRUPTION");
    Atom SERVERBUG = new Atom("SERVERBUG");
    Atom CLIENTBUG = new Atom("CLIENTBUG");
    Atom CANNOT = new Atom("CANNOT");
    Atom LIMIT = new Atom("LIMIT");
    Atom OVERQUOTA = new Atom("OVERQUOTA");
    Atom ALREADYEXISTS = new Atom("ALREADYEXISTS");
    Atom NONEXISTENT = new Atom("NONEXISTENT");
    Atom NOTSAVED = new Atom("NOTSAVED");
    Atom HASCHILDREN = new Atom("HASCHILDREN");
    Atom CLOSED = new Atom("CLOSED");
    Atom UNKNOWN_CTE = new Atom("UNKNOWN-CTE");
    /** RFC 4469 §3 / RFC 7889 §3: a literal or message beyond the limit. */
    Atom TOOBIG = new Atom("TOOBIG");
    /** RFC 7162 §3.1.2.2: the mailbox does not keep MODSEQs. */
    Atom NOMODSEQ = new Atom("NOMODSEQ");
    /** RFC 4978 §3: COMPRESS when compression is already active. */
    Atom COMPRESSIONACTIVE = new Atom("COMPRESSIONACTIVE");
    /** RFC 6154 §3: CREATE with a special-use attribute we do not allow. */
    Atom USEATTR = new Atom("USEATTR");

    /** RFC 9051 §7.1: CHARSET we do not support; lists the ones we do. */
    record BadCharset(List<String> supported) implements ResponseCode {
        @Override
        public String text() {
            return "BADCHARSET (" + String.join(" ", supported) + ")";
        }
    }

    record Capability(List<String> capabilities) implements ResponseCode {
        @Override
        public String text() {
            return "CAPABILITY " + String.join(" ", capabilities);
        }
    }

    /** Flags the client may change permanently; {@code \*} allows new keywords (RFC 9051 §7.1). */
    record PermanentFlags(List<String> flags) implements ResponseCode {
        @Override
        public String text() {
            return "PERMANENTFLAGS (" + String.join(" ", flags) + ")";
        }
    }

    record UidNext(long uid) implements ResponseCode {
        @Override
        public String text() {
            return "UIDNEXT " + uid;
        }
    }

    record UidValidity(long uidValidity) implements ResponseCode {
        @Override
        public String text() {
            return "UIDVALIDITY " + uidValidity;
        }
    }

    /** RFC 4315 §3 (UIDPLUS), RFC 9051 §7.1. */
    record AppendUid(long uidValidity, long uid) implements ResponseCode {
        @Override
        public String text() {
            return "APPENDUID " + uidValidity + " " + uid;
        }
    }

    /** RFC 4315 §3: the source UIDs and the UIDs they got, in the same order. */
    record CopyUid(long uidValidity, SequenceSet source, SequenceSet destination) implements ResponseCode {
        @Override
        public String text() {
            return "COPYUID " + uidValidity + " " + source + " " + destination;
        }
    }

    /** RFC 7162 §3.1.2.1. */
    record HighestModseq(long modseq) implements ResponseCode {
        @Override
        public String text() {
            return "HIGHESTMODSEQ " + modseq;
        }
    }

    /** RFC 7162 §3.1.3: messages a conditional STORE did not change. */
    record Modified(SequenceSet set) implements ResponseCode {
        @Override
        public String text() {
            return "MODIFIED " + set;
        }
    }
}
