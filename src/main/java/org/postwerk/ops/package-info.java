/**
 * The operators' HTTP listener ({@code role = "ops"}): Prometheus metrics at {@code /metrics} and liveness and
 * readiness at {@code /health}, on loopback by default. Reads meters and checks it is given; never changes the
 * server, never serves mail.
 */
package org.postwerk.ops;
