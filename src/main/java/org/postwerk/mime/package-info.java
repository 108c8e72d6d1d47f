/**
 * Message structure for IMAP (RFC 9051 §7.5.2, RFC 3501): one streaming pass over a message's CRLF wire form
 * gives a part tree with octet offsets, ENVELOPE and BODYSTRUCTURE data, which the store can cache in a compact
 * serialised form; from it, section extraction (BODY[section]), BINARY decoding (RFC 3516), text for SEARCH and
 * the keys of SORT and THREAD (RFC 5256). Header values are parsed with Apache James mime4j (parameters,
 * RFC 2047/2231, transfer decoders). Knows nothing about sessions, mailboxes or files: it reads streams and
 * writes IMAP syntax through {@link org.postwerk.imap.ImapWriter}.
 */
package org.postwerk.mime;
