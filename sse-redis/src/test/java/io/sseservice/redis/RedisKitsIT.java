package io.sseservice.redis;

import io.sseservice.test.BackplaneCompatibilityKit;
import io.sseservice.test.ClientDirectoryCompatibilityKit;
import io.sseservice.test.ClusterFixture;
import io.sseservice.test.EventHistoryCompatibilityKit;
import org.junit.jupiter.api.Nested;

/** The core's cluster compatibility kits, on a real Redis server. */
class RedisKitsIT {

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
  }
}
