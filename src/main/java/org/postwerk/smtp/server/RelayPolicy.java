package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.util.List;
import org.postwerk.config.Network;

/** Who may send to non-local domains: authenticated users and clients from the configured networks. */
public record RelayPolicy(List<Network> networks) {
    public RelayPolicy {
        networks = List.copyOf(networks);
    }

    public boolean mayRelay(InetAddress client, String authUser) {
        if (authUser != null) {
            return true;
        }
        for (Network n : networks) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
