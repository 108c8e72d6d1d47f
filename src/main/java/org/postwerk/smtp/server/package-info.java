/**
 * The SMTP server: listeners (accept loop, virtual thread per connection, connection limits) and the one
 * session class. Hands accepted messages to a {@link org.postwerk.queue.Intake}; never delivers, never
 * touches files itself.
 */
package org.postwerk.smtp.server;
