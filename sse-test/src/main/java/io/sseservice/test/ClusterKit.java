package io.sseservice.test;

import io.sseservice.SseService;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the cluster compatibility kits share: a fresh cluster (from {@link #cluster()}) and its
 * nodes for every test, and a way to wait for what travels through it. Extend one of the kits,
 * not this class.
 *
 * <p>Thread-safety: a JUnit test class; JUnit makes one instance per test.
 */
public abstract class ClusterKit {

  /** The nodes of the test, started before each test ({@link #nodeIds()}). */
  protected ClusterNodes nodes;

  /** Returns a fresh cluster fixture for one test. */
  protected abstract ClusterFixture cluster();

  /** Returns the ids of the nodes each test starts. */
  protected String[] nodeIds() {
    return new String[] {"a", "b", "c"};
  }

  /** Adjusts every node's builder; the kits' defaults suit most clusters. */
  protected SseService.Builder configure(SseService.Builder builder) {
    return builder;
  }

  @BeforeEach
  void startNodes() {
    nodes = new ClusterNodes(cluster(), this::configure).startAll(nodeIds());
  }

  @AfterEach
  void stopNodes() {
    nodes.close();
  }

  /** Waits for what travels through the cluster. */
  protected static ConditionFactory eventually() {
    return ClusterNodes.eventually();
  }
}
