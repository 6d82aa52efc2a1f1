package io.sseservice.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/** The JDK adapter's writer pool: daemon threads that leave when idle and inherit nothing. */
class WriterPoolTest {

  private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

  @Test
  void writersAreDaemonsThatExitWhenIdleAndInheritNoThreadLocals() throws Exception {
    ThreadPoolExecutor pool = WriterPool.create(2, 2, 100);
    try {
      INHERITED.set("from the request thread");
      CountDownLatch ran = new CountDownLatch(2);
      String[] seen = new String[1];
      boolean[] daemon = new boolean[1];
      pool.execute(
          () -> {
            seen[0] = INHERITED.get();
            daemon[0] = Thread.currentThread().isDaemon();
            ran.countDown();
          });
      pool.execute(ran::countDown);
      ran.await();

      assertThat(seen[0]).isNull();
      assertThat(daemon[0]).isTrue();
      await().until(() -> pool.getPoolSize() == 0);
    } finally {
      INHERITED.remove();
      pool.shutdownNow();
    }
  }

  @Test
  void theSharedPoolLetsItsThreadsGo() {
    assertThat(WriterPool.shared().allowsCoreThreadTimeOut()).isTrue();
    assertThat(WriterPool.shared().getKeepAliveTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(WriterPool.IDLE_MILLIS);
  }
}
