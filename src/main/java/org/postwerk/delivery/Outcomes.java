package org.postwerk.delivery;

import org.postwerk.queue.Result;
import org.postwerk.queue.Status;

/** Turns a delivery {@link Outcome} into the queue's {@link Result} (the queue knows nothing of delivery). */
final class Outcomes {
    private Outcomes() {}

    static Result toResult(Outcome o) {
        String reply = o.reply() == null ? null : o.reply().toString();
        String mta = o.hop() == null || o.hop() == Hop.LOCAL ? null : o.hop().remoteMta();
        return switch (o) {
            case Outcome.Delivered d -> Result.of(switch (d.dsn()) {
                case FINAL -> Status.DELIVERED;
                case NEXT_HOP -> Status.TRANSFERRED;
                case RELAYED -> Status.RELAYED;
            }, reply, mta, d.command());
            case Outcome.Deferred d -> Result.of(Status.DEFERRED, reply, mta, d.command());
            case Outcome.Failed f -> Result.of(Status.FAILED, reply, mta, f.command());
            case Outcome.Expanded x -> new Result(Status.EXPANDED, reply, null, null, x.to());
        };
    }
}
