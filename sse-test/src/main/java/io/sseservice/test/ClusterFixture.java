package io.sseservice.test;

import io.sseservice.SseService;

/**
 * A cluster under test, as the cluster compatibility kits see it: joins services to it, and
 * injects the faults the kits check behaviour under. {@link InMemoryCluster} has one
 * ({@link InMemoryCluster#fixture}); {@code sse-redis} has its own over a real Redis server.
 * A fixture that cannot inject a fault leaves the method's default, which skips the test.
 *
 * <p>Thread-safety: called from the test thread.
 */
public interface ClusterFixture extends AutoCloseable {

  /** Makes {@code builder} a node named {@code nodeId} of the cluster (backplane, directory). */
  SseService.Builder join(SseService.Builder builder, String nodeId);

  /** From now on, {@code nodeId}'s live feed loses every message (a broken pub/sub). */
  default void cutFeed(String nodeId) {
    skip("cutFeed");
  }

  /** {@code nodeId}'s live feed works again (and the node learns it was interrupted). */
  default void restoreFeed(String nodeId) {
    skip("restoreFeed");
  }

  /** Kills {@code nodeId} without letting it leave: it gets nothing and stops heartbeating. */
  default void crash(String nodeId) {
    skip("crash");
  }

  /** Returns once the cluster's directory has dropped the crashed node {@code nodeId}. */
  default void awaitCrashNoticed(String nodeId) {
    skip("awaitCrashNoticed");
  }

  /** The store loses every group's log, as a Redis without persistence that restarted. */
  default void loseData() {
    skip("loseData");
  }

  /** Drops every event {@code group}'s log holds now, as trimming after a long outage would. */
  default void trimAll(String group) {
    skip("trimAll");
  }

  /** Frees what the fixture holds; called after the nodes were closed. */
  @Override
  default void close() {}

  private static void skip(String what) {
    org.junit.jupiter.api.Assumptions.abort("this cluster fixture cannot " + what);
  }
}
