package io.sseservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-group locks: exclusive per group, dropped when idle, never dropped under a user. */
class GroupLocksTest {

  @Test
  void idleLocksAreDroppedAfterOneQuietSweepPeriod() {
    GroupLocks locks = new GroupLocks();
    locks.run("a", () -> {});
    locks.run("b", () -> {});

    locks.sweep(); // both were used since the last sweep: kept
    assertThat(locks.size()).isEqualTo(2);
    locks.run("a", () -> {});
    locks.sweep(); // b was not used since: dropped
    assertThat(locks.size()).isEqualTo(1);
    locks.sweep();
    assertThat(locks.size()).isZero();
  }

  @Test
  void oneGroupIsExclusiveWhateverTheSweepsDo() throws Exception {
    GroupLocks locks = new GroupLocks();
    AtomicInteger inside = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sweeper =
        new Thread(
            () -> {
              while (running.get()) {
                locks.sweep();
              }
            });
    sweeper.start();
    List<Thread> users = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread user =
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  locks.run(
                      "g",
                      () -> {
                        if (inside.incrementAndGet() > 1) {
                          overlapped.set(true);
                        }
                        inside.decrementAndGet();
                      });
                }
              });
      user.start();
      users.add(user);
    }
    for (Thread user : users) {
      user.join();
    }
    running.set(false);
    sweeper.join();

    assertThat(overlapped).as("two threads inside one group's lock").isFalse();
  }

  @Test
  void workAfterTheLockRunsOnceTheOutermostSectionEnds() {
    GroupLocks locks = new GroupLocks();
    List<String> order = new ArrayList<>();
    locks.run(
        "a",
        () -> {
          AfterLocks.run(() -> order.add("after"));
          order.add("inside");
        });
    assertThat(order).containsExactly("inside", "after");
  }
}
