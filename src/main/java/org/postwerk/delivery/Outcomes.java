package org.postwerk.delivery;

import org.postwerk.queue.Result;

/** Turns a delivery {@link Outcome} into the queue's {@link Result} (the queue knows nothing of hops). */
final class Outcomes {
    private Outcomes() {}

    static Result toResult(Outcome o) {
        return switch (o) {
            case Outcome.Delivered d -> new Result.Delivered(d.reason(), d.dsn());
            case Outcome.Deferred d -> new Result.Deferred(d.reason());
            case Outcome.Failed f -> new Result.Failed(f.reason());
            case Outcome.Expanded x -> new Result.Expanded(x.reason(), x.to());
        };
    }
}
