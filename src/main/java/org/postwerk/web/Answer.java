package org.postwerk.web;

import java.nio.charset.StandardCharsets;

/** An HTTP response: status, content type and body. */
record Answer(int status, String type, byte[] body) {
    static final String XML = "application/xml; charset=utf-8";

    static Answer xml(String text) {
        return new Answer(200, XML, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A short plain-text answer for errors: generic, never the client's input. */
    static Answer error(int status, String text) {
        return new Answer(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static final Answer NOT_FOUND = error(404, "Not found");
    static final Answer BAD_REQUEST = error(400, "Bad request");
}
