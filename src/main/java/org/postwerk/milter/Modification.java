package org.postwerk.milter;

/** What a milter may change at end of message (negotiated in OPTNEG as SMFIF_* actions). */
sealed interface Modification {
    /** SMFIR_ADDHEADER: a field at the end of the header section. */
    record AddHeader(String name, String value) implements Modification {}

    /** SMFIR_INSHEADER: a field at position {@code index} (0 is the top). */
    record InsertHeader(int index, String name, String value) implements Modification {}

    /** SMFIR_CHGHEADER: the {@code index}-th (from 1) field of that name changed; an empty value deletes it. */
    record ChangeHeader(int index, String name, String value) implements Modification {}

    /** SMFIR_REPLBODY: one piece of the new body (the pieces are concatenated). */
    record ReplaceBody(byte[] chunk) implements Modification {}

    /** SMFIR_ADDRCPT and SMFIR_ADDRCPT_PAR: an envelope recipient added ({@code <addr>}). */
    record AddRecipient(String address, String parameters) implements Modification {}

    /** SMFIR_DELRCPT: an envelope recipient removed. */
    record DeleteRecipient(String address) implements Modification {}

    /** SMFIR_QUARANTINE: hold the message; for us, deliver it to the Junk folder. */
    record Quarantine(String reason) implements Modification {}
}
