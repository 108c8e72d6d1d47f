package org.postwerk.config;

/** What a listener is for. */
public enum Role { SMTP, SUBMISSION, SUBMISSIONS }
