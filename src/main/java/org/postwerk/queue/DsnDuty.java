package org.postwerk.queue;

/**
 * Who reports a successful delivery (RFC 3461 §6.2): we did the final delivery, a next hop that speaks DSN took
 * the duty over (§6.2.1: no success DSN from us), or a next hop without DSN got it (action "relayed", RFC 3464
 * §2.3.3).
 */
public enum DsnDuty { FINAL, NEXT_HOP, RELAYED }
