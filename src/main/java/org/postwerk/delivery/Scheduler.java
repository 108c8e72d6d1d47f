package org.postwerk.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.queue.Control;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueEntry;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.RecipientState;
import org.postwerk.queue.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager: a bounded active set of messages in delivery (global and per destination domain). Fresh
 * mail is dispatched first, and the deferred backlog may use at most three quarters of the slots, so a long
 * retry backlog never slows fresh mail (the Postfix rule). Each attempt groups a message's due recipients by
 * domain, hands each group to the {@link Courier} and records the outcomes in the {@link Queue}.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.delivery");

    private final DeliveryMeters meters;
    private final Queue queue;
    private final Courier courier;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final Control control;
    private final Dispatch dispatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<String> fresh = new ArrayDeque<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Destinations destinations;
    private boolean woken; // guarded by lock: a wake-up that came while the loop was busy is not lost
    private volatile boolean running;
    private Thread loop;

    public Scheduler(Queue queue, Courier courier, SchedulerSettings settings, Clock clock) {
        this(queue, courier, settings, clock, DeliveryMeters.NONE);
    }

    /** With {@code meters} counting the attempts. */
    public Scheduler(Queue queue, Courier courier, SchedulerSettings settings, Clock clock, DeliveryMeters meters) {
        this.meters = meters;
        this.queue = queue;
        this.courier = courier;
        this.settings = settings;
        this.clock = clock;
        this.control = new Control(queue.spool());
        this.dispatch = new Dispatch(settings.concurrency());
        this.destinations = new Destinations(settings.perDestination());
        queue.subscribe(e -> {
            lock.lock();
            try {
                fresh.add(e.id());
            } finally {
                lock.unlock();
            }
            wakeUp();
        });
    }

    /** Starts the scheduler thread: everything already in the queue that is due is delivered. */
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("postwerk-scheduler").daemon().start(this::run);
    }

    private void run() {
        long lastControl = 0;
        while (running) {
            try {
                // CLI requests once per poll interval, not on every wake-up (a directory listing each time).
                if (System.nanoTime() - lastControl >= settings.poll().toNanos()) {
                    lastControl = System.nanoTime();
                    handleControl();
                }
                tick();
            } catch (IOException | RuntimeException e) {
                LOG.error("scheduler round failed", e);
            }
            lock.lock();
            try {
                if (running && !woken) {
                    wake.await(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                }
                woken = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Fresh mail arrived or a slot came free: run a round now instead of at the next poll. */
    private void wakeUp() {
        lock.lock();
        try {
            woken = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Dispatches fresh mail, then due retries, as far as the active set allows. */
    void tick() {
        while (true) {
            String id;
            lock.lock();
            try {
                id = fresh.peekFirst();
                if (id == null || !dispatch.tryFresh()) {
                    break;
                }
                fresh.pollFirst();
            } finally {
                lock.unlock();
            }
            QueueEntry e = queue.get(id).orElse(null);
            if (e == null || e.held() || !inFlight.add(id)) {
                dispatch.release(true);
                continue;
            }
            Thread.ofVirtual().name("deliver-" + id).start(() -> work(e, true));
        }
        Instant now = clock.instant();
        List<QueueEntry> due = queue.due(now).stream().filter(e -> !inFlight.contains(e.id()))
                .sorted(Comparator.comparing(e -> e.nextAttempt().orElse(now))).toList();
        for (QueueEntry e : due) {
            if (!dispatch.tryDeferred()) {
                return;
            }
            if (!inFlight.add(e.id())) {
                dispatch.release(false);
                continue;
            }
            Thread.ofVirtual().name("deliver-" + e.id()).start(() -> work(e, false));
        }
    }

    private void work(QueueEntry e, boolean isFresh) {
        try {
            attempt(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            LOG.error("delivery of id={} failed to record; it stays queued", e.id(), ex);
        } finally {
            inFlight.remove(e.id());
            dispatch.release(isFresh);
            if (hasFresh()) {
                wakeUp();
            }
        }
    }

    private void attempt(QueueEntry e) throws InterruptedException {
        Instant now = clock.instant();
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < e.recipients().size(); i++) {
            RecipientState r = e.recipients().get(i);
            if (r.isDue(now)) {
                byDomain.computeIfAbsent(r.recipient().address().domainKey(), k -> new java.util.ArrayList<>()).add(i);
            }
        }
        // Each destination on its own virtual thread, recorded as soon as it is done: a slow or stalled
        // domain neither delays the others nor leaves their results unrecorded.
        List<Thread> threads = new java.util.ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : byDomain.entrySet()) {
            if (!destinations.enterOrWait(group.getKey(), e.id())) {
                continue; // parked: comes back as soon as the destination has room
            }
            threads.add(Thread.ofVirtual().name("deliver-" + e.id() + "-" + group.getKey()).start(() -> {
                try {
                    Map<Integer, Result> results = new HashMap<>();
                    deliverGroup(e, group.getValue(), results, now);
                    queue.record(e.id(), results);
                } catch (IOException | RuntimeException ex) {
                    LOG.error("delivery of id={} to {} failed to record; it stays queued", e.id(), group.getKey(), ex);
                } finally {
                    String waiting = destinations.leave(group.getKey());
                    if (waiting != null) {
                        freshly(waiting);
                        wakeUp();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void deliverGroup(QueueEntry e, List<Integer> indices, Map<Integer, Result> results, Instant start) {
        List<Recipient> rcpts = indices.stream().map(i -> e.recipients().get(i).recipient()).toList();
        List<Outcome> outcomes;
        try {
            outcomes = courier.deliver(e.envelope(), rcpts, queue.message(e.id()));
        } catch (RuntimeException ex) {
            LOG.error("courier failed for id={}", e.id(), ex);
            Outcome o = new Outcome.Deferred(Outcome.ours(org.postwerk.smtp.Reply.of(451, 4, 3, 0,
                    "Internal error: " + ex)), null);
            outcomes = java.util.Collections.nCopies(rcpts.size(), o);
        }
        Duration delay = Duration.between(e.envelope().received(), clock.instant());
        Hop hop = outcomes.isEmpty() ? null : outcomes.getFirst().hop();
        if (hop != null && hop != Hop.LOCAL && hop.ip() != null) {
            meters.connected(hop.tls()); // one group, one connection
        }
        for (int k = 0; k < indices.size(); k++) {
            Outcome o = outcomes.get(k);
            DeliveryLog.attempt(e.id(), rcpts.get(k), o, delay);
            meters.attempt(rcpts.get(k).address().domainKey(), o);
            results.put(indices.get(k), Outcomes.toResult(o));
        }
    }

    /** Applies the requests of {@code postwerk queue} / {@code sendmail} (see {@link Control}). */
    void handleControl() throws IOException {
        for (Control.Request r : control.pending()) {
            String answer = switch (r.op()) {
                case FLUSH -> {
                    for (QueueEntry e : queue.entries()) {
                        if (!e.held()) {
                            queue.retry(e.id());
                        }
                    }
                    yield "ok";
                }
                case RETRY -> found(queue.retry(r.id()));
                case HOLD -> found(queue.hold(r.id()));
                case RELEASE -> found(queue.release(r.id()));
                case DELETE -> found(queue.delete(r.id()));
                case BOUNCE -> found(queue.bounce(r.id()));
                case NEW -> found(queue.adopt(r.id()).map(e -> freshly(e.id())).isPresent());
            };
            control.answer(r, answer);
        }
    }

    private boolean hasFresh() {
        lock.lock();
        try {
            return !fresh.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private String freshly(String id) {
        lock.lock();
        try {
            fresh.add(id);
        } finally {
            lock.unlock();
        }
        return id;
    }

    private static String found(boolean ok) {
        return ok ? "ok" : "no such message";
    }

    /** For tests and shutdown: waits until nothing is in delivery. */
    boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops dispatching and waits (up to 30 s) for deliveries in progress; the rest stays queued. */
    @Override
    public void close() {
        running = false;
        try {
            if (loop != null) {
                loop.interrupt();
                loop.join();
            }
            awaitIdle(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Slot accounting for the active set; a quarter of it is kept for fresh mail. */
    private static final class Dispatch {
        private final Semaphore active;
        private final int deferredMax;
        private final AtomicInteger deferred = new AtomicInteger();

        Dispatch(int concurrency) {
            this.active = new Semaphore(concurrency);
            this.deferredMax = Math.max(1, concurrency - Math.max(1, concurrency / 4));
        }

        boolean tryFresh() {
            return active.tryAcquire();
        }

        boolean tryDeferred() {
            if (deferred.incrementAndGet() > deferredMax || !active.tryAcquire()) {
                deferred.decrementAndGet();
                return false;
            }
            return true;
        }

        void release(boolean isFresh) {
            if (!isFresh) {
                deferred.decrementAndGet();
            }
            active.release();
        }
    }
}
