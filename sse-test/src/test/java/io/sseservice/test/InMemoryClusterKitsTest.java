package io.sseservice.test;

import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import org.junit.jupiter.api.Nested;

/** The cluster compatibility kits on {@link InMemoryCluster}, with both feeds, and on the core's own history. */
class InMemoryClusterKitsTest {

  @Nested
  class BackplaneWithPushedEvents extends BackplaneCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return InMemoryCluster.builder().feed(InMemoryCluster.Feed.PUSH).build().fixture();
    }
  }

  @Nested
  class BackplaneWithDoorbells extends BackplaneCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return InMemoryCluster.builder().feed(InMemoryCluster.Feed.DOORBELL).build().fixture();
    }
  }

  @Nested
  class Directory extends ClientDirectoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      ManualClock clock = new ManualClock();
      return InMemoryCluster.builder().ticker(clock).build().fixture(clock::advance);
    }
  }

  @Nested
  class ClusterHistory extends EventHistoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return InMemoryCluster.create().fixture();
    }
  }

  @Nested
  class CoreHistory extends EventHistoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return (SseService.Builder builder, String nodeId) ->
          // more events than the replay limit, so that conflation can keep a replay under it
          builder.nodeId(nodeId).history(InMemoryEventHistory.builder().maxEvents(5_000).build());
    }

    @Override
    protected boolean sharedAcrossNodes() {
      return false;
    }
  }
}
