package org.postwerk.milter;

import java.io.IOException;
import org.postwerk.config.MilterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One milter within one SMTP session: its conversation (null once it is done with for the session), and what its
 * failure left behind. Every decision other than "continue" is logged here, with the milter's name and the queue id.
 */
final class Link {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.milter");

    /** One exchange with the milter. */
    interface Step<T> {
        T run(MilterConnection c) throws IOException;
    }

    final MilterConfig config;
    MilterConnection connection;
    /** Set when the milter failed with default_action = tempfail: every later step of the session gets 451. */
    boolean failed;
    /** The milter accepted the message (or said nothing more is needed): no more steps until the next MAIL. */
    boolean doneWithMessage;
    /** The milter saw MAIL of the current message (so an ABORT is owed when it ends early). */
    boolean inMessage;

    Link(MilterConfig config) {
        this.config = config;
    }

    boolean active() {
        return connection != null && !failed;
    }

    /** Runs a step; a failure becomes the milter's default action (and the conversation is closed). */
    Response call(String stage, String session, String queueId, Step<Response> step) {
        if (failed) {
            return new Response.Refuse(ReplyCodes.TEMPFAIL, "default");
        }
        if (connection == null || doneWithMessage) {
            return Response.CONTINUE;
        }
        try {
            Response r = step.run(connection);
            log(stage, session, queueId, r);
            return r;
        } catch (IOException e) {
            return fail(stage, session, queueId, e);
        }
    }

    Response fail(String stage, String session, String queueId, IOException e) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        boolean tempfail = config.defaultAction() == MilterConfig.DefaultAction.TEMPFAIL;
        failed = tempfail;
        LOG.warn("session={} id={} milter={} stage={} event=milter-failed reason=\"{}\" action={}", session,
                queueId == null ? "-" : queueId, config.name(), stage, reason(e), tempfail ? "tempfail" : "accept");
        return tempfail ? new Response.Refuse(ReplyCodes.TEMPFAIL, "default") : Response.CONTINUE;
    }

    void log(String stage, String session, String queueId, Response r) {
        String id = queueId == null ? "-" : queueId;
        switch (r) {
            case Response.Continue c -> LOG.debug("session={} id={} milter={} stage={} action=continue", session, id,
                    config.name(), stage);
            case Response.Refuse f -> LOG.info("session={} id={} milter={} stage={} action={} reply=\"{}\"", session, id,
                    config.name(), stage, f.action(), f.reply().wire().strip().replace("\r\n", " / "));
            default -> LOG.info("session={} id={} milter={} stage={} action={}", session, id, config.name(), stage,
                    r.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static void note(String session, String queueId, String milter, String what) {
        LOG.info("session={} id={} milter={} stage=eom {}", session, queueId, milter, what);
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('"', '\'');
    }
}
