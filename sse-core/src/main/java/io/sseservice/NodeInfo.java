package io.sseservice;

import io.sseservice.spi.NodeContext;
import io.sseservice.spi.Ticker;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What this node tells its cluster components about itself ({@link NodeContext}): its id, the
 * service's scheduler and clocks. The backplane's and the directory's ends of the service extend
 * it. Thread-safety: immutable.
 */
abstract class NodeInfo implements NodeContext {

  final Core core;
  private final ScheduledExecutorService scheduler;

  NodeInfo(Core core, ScheduledExecutorService scheduler) {
    this.core = core;
    this.scheduler = scheduler;
  }

  @Override
  public final String nodeId() {
    return core.config.nodeId();
  }

  @Override
  public final ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public final Ticker ticker() {
    return core.ticker;
  }

  @Override
  public final Clock clock() {
    return core.config.clock();
  }
}
