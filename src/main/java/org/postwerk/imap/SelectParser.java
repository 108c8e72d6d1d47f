package org.postwerk.imap;

import java.util.Optional;
import org.postwerk.imap.Lexer.SyntaxError;

/** The select-params of SELECT and EXAMINE (RFC 4466 §2.1): CONDSTORE and QRESYNC (RFC 7162). */
final class SelectParser {
    private final Lexer in;
    private final CommandParser.Limits limits;

    SelectParser(Lexer in, CommandParser.Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    /**
     * "(" select-param *(SP select-param) ")" with select-param = "CONDSTORE" / "QRESYNC" SP "(" uidvalidity
     * SP mod-sequence-value [SP known-uids] [SP "(" known-sequence-set SP known-uid-set ")"] ")"
     * (RFC 7162 §3.1.8, §3.2.5, §7).
     */
    SelectParams params() throws SyntaxError {
        in.expect('(');
        boolean condstore = false;
        Optional<SelectParams.QResync> qresync = Optional.empty();
        do {
            switch (in.word()) {
                case "CONDSTORE" -> condstore = true;
                case "QRESYNC" -> {
                    if (qresync.isPresent()) {
                        throw in.error("QRESYNC given twice");
                    }
                    qresync = Optional.of(qresync());
                }
                default -> throw in.error("unknown SELECT parameter");
            }
        } while (in.skip(' '));
        in.expect(')');
        return new SelectParams(condstore, qresync);
    }

    private SelectParams.QResync qresync() throws SyntaxError {
        in.sp();
        in.expect('(');
        long uidValidity = in.nzNumber(SequenceSet.MAX_NUMBER);
        in.sp();
        long modseq = in.nzNumber(CommandParser.MAX_MODSEQ);
        Optional<SequenceSet> knownUids = Optional.empty();
        Optional<SequenceSet> knownSequence = Optional.empty();
        Optional<SequenceSet> knownSequenceUids = Optional.empty();
        if (in.skip(' ') && in.peek() != '(') {
            knownUids = Optional.of(knownSet());
            in.skip(' ');
        }
        if (in.skip('(')) {
            knownSequence = Optional.of(knownSet());
            in.sp();
            knownSequenceUids = Optional.of(knownSet());
            in.expect(')');
        }
        in.expect(')');
        return new SelectParams.QResync(uidValidity, modseq, knownUids, knownSequence, knownSequenceUids);
    }

    /** A sequence set without "*" or "$" (RFC 7162 §7: known-uids, known-sequence-set, known-uid-set). */
    private SequenceSet knownSet() throws SyntaxError {
        if (!(in.messageSet(limits.maxRanges()) instanceof SequenceSet set) || set.hasStar()) {
            throw in.error("* and $ are not allowed in QRESYNC sets");
        }
        return set;
    }
}
