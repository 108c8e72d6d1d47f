package org.postwerk.auth.dmarc;

/**
 * How far the operator lets a domain owner's DMARC policy go; the same names as the {@code [auth] dmarc}
 * setting ({@code config.AuthConfig.DmarcAction}), so {@code Enforcement.valueOf(action.name())} maps it.
 * A stronger requested policy is downgraded to this; a weaker one is kept.
 */
public enum Enforcement {
    /** As the owner's policy says: reject and quarantine are honoured. */
    POLICY,
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
                case POLICY -> Disposition.REJECT;
                case QUARANTINE -> Disposition.QUARANTINE;
                case NONE -> Disposition.ACCEPT;
            };
        };
    }
}
