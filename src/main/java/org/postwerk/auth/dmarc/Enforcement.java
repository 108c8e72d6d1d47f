package org.postwerk.auth.dmarc;

/**
 * How far the operator lets a domain owner's DMARC policy go (issue 4: reject, quarantine, or none).
 * A stronger requested policy is downgraded to this; a weaker one is kept.
 */
public enum Enforcement {
    /** Honour reject and quarantine. */
    REJECT,
    /** Quarantine what the owner wants rejected or quarantined. */
    QUARANTINE,
    /** Record the result only (tag in Authentication-Results), deliver normally. */
    NONE;

    /** What to do with a message: only a fail can lead to anything but {@link Disposition#ACCEPT}. */
    public Disposition decide(DmarcResult result) {
        if (result.result() != DmarcResult.Result.FAIL) {
            return Disposition.ACCEPT;
        }
        return switch (result.applied()) {
            case NONE -> Disposition.ACCEPT;
            case QUARANTINE -> this == NONE ? Disposition.ACCEPT : Disposition.QUARANTINE;
            case REJECT -> switch (this) {
                case REJECT -> Disposition.REJECT;
                case QUARANTINE -> Disposition.QUARANTINE;
                case NONE -> Disposition.ACCEPT;
            };
        };
    }
}
