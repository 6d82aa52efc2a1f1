package io.sseservice;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * One lock per group, made when a thread needs it and dropped when no thread does, so that any
 * number of group names costs nothing while idle and unrelated groups never share a lock. It
 * orders, within one group, the history's appends with the deliveries that follow them, a
 * connect's registration with its replay, and the cluster feed's deliveries. Work that must not
 * run under it goes through {@link AfterLocks}.
 *
 * <p>Thread-safety: thread-safe. The count of a lock's users changes only inside
 * {@code ConcurrentHashMap.compute} of its group, so a lock is never dropped while a thread
 * holds or waits for it.
 */
final class GroupLocks {

  private static final class Entry {
    /** Threads holding or waiting for the lock; guarded by the map's compute on the group. */
    int users;
  }

  private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

  /** Runs {@code action} holding {@code group}'s lock; returns its result. */
  int run(String group, IntSupplier action) {
    Entry lock = locks.compute(group, (name, held) -> {
      Entry l = held != null ? held : new Entry();
      l.users++;
      return l;
    });
    AfterLocks after = AfterLocks.enter();
    try {
      synchronized (lock) {
        return action.getAsInt();
      }
    } finally {
      locks.computeIfPresent(group, (name, held) -> --held.users == 0 ? null : held);
      after.exit();
    }
  }

  /** Runs {@code action} holding {@code group}'s lock. */
  void run(String group, Runnable action) {
    run(group, () -> {
      action.run();
      return 0;
    });
  }

  /** Returns the number of groups whose lock is in use now (for tests). */
  int inUse() {
    return locks.size();
  }
}
