package org.postwerk.training;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The remote end of the training's relayed mail, on a free loopback port: an SMTP server that takes every
 * message, counts it and keeps nothing (as Postfix's smtp-sink does for bench/).
 */
final class Sink implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger messages = new AtomicInteger();

    Sink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("training-sink").start(this::accept);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    int messages() {
        return messages.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sessions.submit(() -> session(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private Void session(Socket s) throws IOException {
        try (s; Wire w = Wire.over(s)) {
            w.send("220 sink ESMTP");
            while (true) {
                String command = w.line().toUpperCase(java.util.Locale.ROOT);
                if (command.startsWith("EHLO")) {
                    w.send("250-sink");
                    w.send("250-PIPELINING");
                    w.send("250-8BITMIME");
                    w.send("250 SMTPUTF8");
                } else if (command.startsWith("DATA")) {
                    w.send("354 go ahead");
                    while (!w.line().equals(".")) {
                        // the message: not kept
                    }
                    messages.incrementAndGet();
                    w.send("250 2.0.0 taken");
                } else if (command.startsWith("QUIT")) {
                    w.send("221 2.0.0 bye");
                    return null;
                } else {
                    w.send("250 2.0.0 ok");
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sessions.shutdownNow();
    }
}
