package org.postwerk.smtp;

import java.util.OptionalLong;

/**
 * ESMTP parameters of MAIL FROM: SIZE (RFC 1870), BODY (RFC 6152/3030), SMTPUTF8 (RFC 6531),
 * RET and ENVID (RFC 3461), AUTH (RFC 4954 §5, kept only for logging), REQUIRETLS (RFC 8689 §2).
 * {@code envid} is xtext-decoded.
 */
public record MailParameters(OptionalLong size, BodyType body, boolean smtputf8, Ret ret, String envid,
                             String auth, boolean requireTls) {
    public static final MailParameters NONE =
            new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, null, null, null, false);

    /** Without REQUIRETLS. */
    public MailParameters(OptionalLong size, BodyType body, boolean smtputf8, Ret ret, String envid, String auth) {
        this(size, body, smtputf8, ret, envid, auth, false);
    }
}
