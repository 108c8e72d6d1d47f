package org.postwerk.milter;

/**
 * The numbers of the milter protocol, with their meaning as libmilter's {@code mfdef.h} gives it (the protocol
 * has no RFC; Postfix's MILTER_README and sendmail's libmilter documentation are the reference). Each packet is a
 * 4-byte length in network order (command byte included), a command byte, and data.
 */
final class Protocol {
    private Protocol() {}

    /** The version we speak; milters of versions 2 to 6 are accepted (Postfix does the same). */
    static final int VERSION = 6;
    static final int MIN_VERSION = 2;

    /** A body chunk is at most this long (MILTER_CHUNK_SIZE); we offer no larger size (SMFIP_MDS_*). */
    static final int CHUNK = 65535;
    /** The largest packet we read from a milter: generous, since a reply text or header is short. */
    static final int MAX_PACKET = 1 << 20;

    // Commands, MTA to milter (SMFIC_*).
    static final byte ABORT = 'A';
    static final byte BODY = 'B';
    static final byte CONNECT = 'C';
    static final byte MACRO = 'D';
    static final byte BODYEOB = 'E';
    static final byte HELO = 'H';
    static final byte HEADER = 'L';
    static final byte MAIL = 'M';
    static final byte EOH = 'N';
    static final byte OPTNEG = 'O';
    static final byte QUIT = 'Q';
    static final byte RCPT = 'R';
    static final byte DATA = 'T';

    // Replies and actions, milter to MTA (SMFIR_*).
    static final byte ADDRCPT = '+';
    static final byte DELRCPT = '-';
    static final byte ADDRCPT_PAR = '2';
    static final byte SHUTDOWN = '4';
    static final byte ACCEPT = 'a';
    static final byte REPLBODY = 'b';
    static final byte CONTINUE = 'c';
    static final byte DISCARD = 'd';
    static final byte CHGFROM = 'e';
    static final byte CONN_FAIL = 'f';
    static final byte ADDHEADER = 'h';
    static final byte INSHEADER = 'i';
    static final byte SETSYMLIST = 'l';
    static final byte CHGHEADER = 'm';
    static final byte PROGRESS = 'p';
    static final byte QUARANTINE = 'q';
    static final byte REJECT = 'r';
    static final byte SKIP = 's';
    static final byte TEMPFAIL = 't';
    static final byte REPLYCODE = 'y';

    // Actions a milter may take at end of message (SMFIF_*), offered in OPTNEG.
    static final int F_ADDHDRS = 0x01;
    static final int F_CHGBODY = 0x02;
    static final int F_ADDRCPT = 0x04;
    static final int F_DELRCPT = 0x08;
    static final int F_CHGHDRS = 0x10;
    static final int F_QUARANTINE = 0x20;
    static final int F_CHGFROM = 0x40;
    static final int F_ADDRCPT_PAR = 0x80;
    static final int F_SETSYMLIST = 0x100;
    /** We offer all but CHGFROM (the envelope sender stays what the client said and SPF judged). */
    static final int ACTIONS_OFFERED = F_ADDHDRS | F_CHGBODY | F_ADDRCPT | F_DELRCPT | F_CHGHDRS | F_QUARANTINE
            | F_ADDRCPT_PAR | F_SETSYMLIST;

    // Protocol flags (SMFIP_*): steps the milter does not want (NO*), steps it does not answer (NR_*), and more.
    static final int P_NOCONNECT = 0x01;
    static final int P_NOHELO = 0x02;
    static final int P_NOMAIL = 0x04;
    static final int P_NORCPT = 0x08;
    static final int P_NOBODY = 0x10;
    static final int P_NOHDRS = 0x20;
    static final int P_NOEOH = 0x40;
    static final int P_NR_HDR = 0x80;
    static final int P_NOUNKNOWN = 0x100;
    static final int P_NODATA = 0x200;
    static final int P_SKIP = 0x400;
    static final int P_RCPT_REJ = 0x800;
    static final int P_NR_CONN = 0x1000;
    static final int P_NR_HELO = 0x2000;
    static final int P_NR_MAIL = 0x4000;
    static final int P_NR_RCPT = 0x8000;
    static final int P_NR_DATA = 0x10000;
    static final int P_NR_UNKN = 0x20000;
    static final int P_NR_EOH = 0x40000;
    static final int P_NR_BODY = 0x80000;
    static final int P_HDR_LEADSPC = 0x100000;
    /**
     * What we offer: every step may be skipped or left unanswered, SKIP and leading spaces are understood. Not
     * RCPT_REJ (we do not show refused recipients) and no larger chunks (MDS_*).
     */
    static final int PROTOCOL_OFFERED = P_NOCONNECT | P_NOHELO | P_NOMAIL | P_NORCPT | P_NOBODY | P_NOHDRS | P_NOEOH
            | P_NR_HDR | P_NOUNKNOWN | P_NODATA | P_SKIP | P_NR_CONN | P_NR_HELO | P_NR_MAIL | P_NR_RCPT
            | P_NR_DATA | P_NR_UNKN | P_NR_EOH | P_NR_BODY | P_HDR_LEADSPC;

    // Connection families in SMFIC_CONNECT (SMFIA_*).
    static final byte FAMILY_UNKNOWN = 'U';
    static final byte FAMILY_INET = '4';
    static final byte FAMILY_INET6 = '6';

    /** The stages of macros in OPTNEG's symbol lists (SMFIM_*), in the order of their numbers. */
    enum Stage {
        CONNECT(Protocol.CONNECT, P_NOCONNECT, P_NR_CONN),
        HELO(Protocol.HELO, P_NOHELO, P_NR_HELO),
        MAIL(Protocol.MAIL, P_NOMAIL, P_NR_MAIL),
        RCPT(Protocol.RCPT, P_NORCPT, P_NR_RCPT),
        DATA(Protocol.DATA, P_NODATA, P_NR_DATA),
        EOM(BODYEOB, 0, 0),
        EOH(Protocol.EOH, P_NOEOH, P_NR_EOH);

        final byte command;
        final int skipFlag;
        final int noReplyFlag;

        Stage(byte command, int skipFlag, int noReplyFlag) {
            this.command = command;
            this.skipFlag = skipFlag;
            this.noReplyFlag = noReplyFlag;
        }
    }
}
