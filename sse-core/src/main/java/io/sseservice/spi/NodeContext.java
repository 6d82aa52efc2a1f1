package io.sseservice.spi;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a cluster component learns of the service it serves when it is started: the node's id and
 * the service's scheduler and clocks, so that its heartbeats and timeouts follow the same time as
 * the service's (and a test's manual clock).
 *
 * <p>Thread-safety: thread-safe.
 */
public interface NodeContext {

  /** Returns this node's id, unique in the cluster; part of every connection id of the node. */
  String nodeId();

  /** Returns the service's scheduler: for periodic work (heartbeats) and timeouts. */
  ScheduledExecutorService scheduler();

  /** Returns the service's monotonic time source, for durations. */
  Ticker ticker();

  /** Returns the service's wall clock, for timestamps. */
  Clock clock();
}
