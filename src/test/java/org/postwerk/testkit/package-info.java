/**
 * Shared test fixtures: an in-process DNS server on loopback ({@link org.postwerk.testkit.TestDnsServer}) and an
 * in-memory resolver over the same zone text ({@link org.postwerk.testkit.ZoneResolver}). Fixtures only: no
 * assertions about production behaviour live here, and nothing here touches the network beyond 127.0.0.1.
 */
package org.postwerk.testkit;
