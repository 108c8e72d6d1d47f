package org.postwerk.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.smtp.Notify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which DSNs an entry's state calls for (RFC 3461 §4.1 NOTIFY), queues them with the null sender
 * through the queue itself, and marks the recipients reported. Never bounces a bounce: a failed message with
 * the null sender goes to the postmaster once (double bounce), and a failed double bounce is only logged.
 */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.mail");

    private final Queue queue;
    private final QueueSettings settings;

    Reports(Queue queue, QueueSettings settings) {
        this.queue = queue;
        this.settings = settings;
    }

    /** Queues the DSNs due for {@code e} and returns it with those recipients marked. */
    QueueEntry send(QueueEntry e) throws IOException {
        List<RecipientState> states = new ArrayList<>(e.recipients());
        List<Integer> failed = new ArrayList<>();
        List<Integer> success = new ArrayList<>();
        List<Integer> delayed = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            RecipientState r = states.get(i);
            if (r.state() instanceof State.Final f && !r.reported()) {
                switch (f) {
                    case State.Failed x when r.wants(Notify.FAILURE) -> failed.add(i);
                    case State.Expired x when r.wants(Notify.FAILURE) -> failed.add(i);
                    case State.Delivered d when d.duty() != DsnDuty.NEXT_HOP && r.wants(Notify.SUCCESS) ->
                            success.add(i);
                    case State.Expanded x when r.wants(Notify.SUCCESS) -> success.add(i);
                    default -> { } // not asked for, or the next hop reports (RFC 3461 §6.2.1)
                }
                states.set(i, r.markReported());
            } else if (r.state() instanceof State.Deferred && !r.delayWarned() && delayDue(e)) {
                if (r.wants(Notify.DELAY)) {
                    delayed.add(i);
                }
                states.set(i, r.markWarned());
            }
        }
        QueueEntry after = e.with(states);
        report(after, failed, Dsn.Kind.FAILURE);
        report(after, success, Dsn.Kind.SUCCESS);
        report(after, delayed, Dsn.Kind.DELAY);
        return after;
    }

    private boolean delayDue(QueueEntry e) {
        return settings.retry().delayWarning()
                .map(d -> !queue.now().isBefore(e.envelope().received().plus(d))).orElse(false);
    }

    private void report(QueueEntry e, List<Integer> which, Dsn.Kind kind) throws IOException {
        if (which.isEmpty()) {
            return;
        }
        Envelope env = e.envelope();
        Optional<Mailbox> to = env.sender();
        if (to.isEmpty()) {
            if (kind != Dsn.Kind.FAILURE || queue.isDoubleBounce(env) || settings.postmaster().isEmpty()) {
                LOG.warn("no DSN for id={}: null sender ({} of {} recipients {})", env.id(), which.size(),
                        e.recipients().size(), kind.action);
                return;
            }
            to = settings.postmaster();
        }
        List<RecipientState> states = which.stream().map(e.recipients()::get).toList();
        String id = queue.newId();
        Envelope dsn = new Envelope(id, Optional.empty(), List.of(Recipient.of(to.get())), BodyType.EIGHT_BIT_MIME,
                to.get().isInternational() || env.smtputf8(), null, null, queue.now(), null, "localhost",
                env.tls() == TlsRequirement.REQUIRED ? TlsRequirement.REQUIRED : TlsRequirement.POLICY); // RFC 8689 §5
        try (Intake.Draft d = queue.open(dsn)) {
            new Dsn(settings.reportingMta(), queue.now(), env.received().plus(settings.retry().maxLifetime()),
                    settings.dsnMaxReturn()).write(d.out(), e, states, kind, to.get(), queue.message(env.id()), id);
            d.commit();
        }
        LOG.info("dsn id={} orig={} action={} to=<{}>", id, env.id(), kind.action, to.get());
    }
}
