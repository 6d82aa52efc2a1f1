package io.sseservice;

import io.sseservice.spi.Ticker;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parts of one service that its connections and other parts share: the options, the
 * registry, the group locks, the listeners and the counters. Made once by {@link SseService}.
 *
 * <p>Thread-safety: thread-safe (its fields are final and thread-safe themselves).
 */
final class Core {

  final ServiceConfig config;
  final Ticker ticker;

  /** The service's scheduler: keep-alive ticks, grace checks, callbacks off the sender. */
  final ScheduledExecutorService scheduler;

  final Backlog backlog;
  final Registry registry;
  final GroupLocks locks = new GroupLocks();
  final Listeners listeners;
  final Events events;
  final LongAdder eventsSent = new LongAdder();
  final LongAdder eventsDropped = new LongAdder();
  final LongAdder eventsConflated = new LongAdder();
  final LongAdder slowDisconnects = new LongAdder();
  final LongAdder publishFailures = new LongAdder();

  Core(ServiceConfig config, ScheduledExecutorService scheduler) {
    this.config = config;
    this.ticker = config.ticker();
    this.scheduler = scheduler;
    this.backlog = new Backlog(ticker);
    this.registry =
        new Registry(
            new ConnectionLimits(
                config.maxConnections(),
                config.maxGroups(),
                config.maxConnectionsPerGroup(),
                config.maxConnectionsPerClient()));
    this.listeners = new Listeners(config.listeners(), config.presenceListeners());
    this.events = new Events(config.messageCodec(), config.maxEventBytes());
  }
}
