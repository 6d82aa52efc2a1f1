package io.sseservice.redis;

import io.sseservice.test.BackplaneCompatibilityKit;
import io.sseservice.test.ClientDirectoryCompatibilityKit;
import io.sseservice.test.ClusterFixture;
import io.sseservice.test.EventHistoryCompatibilityKit;
import io.sseservice.test.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The core's cluster compatibility kits, on a real Redis server and on two (sharded). */
class RedisKitsIT {

  private static ClusterFixture sharded() {
    return new RedisFixture(List.of(RedisServer.shared(0), RedisServer.shared(1)));
  }

  @Nested
  class Backplane extends BackplaneCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return new RedisFixture(RedisServer.shared());
    }
  }

  @Nested
  class Directory extends ClientDirectoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return new RedisFixture(RedisServer.shared());
    }
  }

  @Nested
  class History extends EventHistoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return new RedisFixture(RedisServer.shared());
    }

    @Override
    protected boolean replaysFromGivenIds() {
      return false; // replays from the positions it assigns: a given id gets the reset event
    }
  }

  @Nested
  class ShardedBackplane extends BackplaneCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return sharded();
    }
  }

  @Nested
  class ShardedDirectory extends ClientDirectoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return sharded();
    }
  }

  @Nested
  class ShardedHistory extends EventHistoryCompatibilityKit {
    @Override
    protected ClusterFixture cluster() {
      return sharded();
    }

    @Override
    protected boolean replaysFromGivenIds() {
      return false; // replays from the positions it assigns: a given id gets the reset event
    }
  }
}
