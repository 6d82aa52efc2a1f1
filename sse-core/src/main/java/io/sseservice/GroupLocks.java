package io.sseservice;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * One lock per group, made when a thread first needs it and dropped by {@link #sweep()} once no
 * thread used it for a sweep period, so that unrelated groups never share a lock and any number of
 * group names costs nothing for long. It orders, within one group, the history's appends with the
 * deliveries that follow them, a connect's registration with its replay, and the cluster feed's
 * deliveries. Work that must not run under it goes through {@link AfterLocks}.
 *
 * <p>Taking a lock costs a map lookup and the lock itself. A sweep drops a lock only while
 * holding it (never waiting for it), marking it dead first; a thread that gets a dead lock (it looked it up just before)
 * lets it go and looks again, finding a fresh one.
 *
 * <p>Thread-safety: thread-safe.
 */
final class GroupLocks {

  private static final class Entry extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    /** Guarded by the lock itself. */
    boolean dead;

    /** Set by every use, cleared by every sweep, under the lock: a lock lives one period idle. */
    boolean used;
  }

  private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

  /** Runs {@code action} holding {@code group}'s lock; returns its result. */
  int run(String group, IntSupplier action) {
    Held held = lock(group);
    try {
      return action.getAsInt();
    } finally {
      held.unlock();
    }
  }

  /**
   * Takes {@code group}'s lock, for callers on the hot path that keep their work inline instead
   * of in a lambda; {@link Held#unlock()} in a {@code finally} gives it back.
   */
  Held lock(String group) {
    AfterLocks after = AfterLocks.enter();
    while (true) {
      Entry lock = locks.get(group);
      if (lock == null) {
        lock = locks.computeIfAbsent(group, g -> new Entry());
      }
      lock.lock();
      if (!lock.dead) {
        lock.used = true;
        return new Held(lock, after);
      }
      lock.unlock();
    }
  }

  /** A group lock held by this thread. */
  static final class Held {
    private final ReentrantLock lock;
    private final AfterLocks after;

    private Held(ReentrantLock lock, AfterLocks after) {
      this.lock = lock;
      this.after = after;
    }

    /** Gives the lock back, then runs what waited for it ({@link AfterLocks}). */
    void unlock() {
      lock.unlock();
      after.exit();
    }
  }

  /** Runs {@code action} holding {@code group}'s lock. */
  void run(String group, Runnable action) {
    run(
        group,
        () -> {
          action.run();
          return 0;
        });
  }

  /**
   * Drops the locks that no thread used since the previous sweep; the housekeeper calls it
   * periodically. A lock some thread holds is skipped, never waited for.
   */
  void sweep() {
    for (Map.Entry<String, Entry> e : locks.entrySet()) {
      Entry lock = e.getValue();
      if (!lock.tryLock()) {
        continue; // in use right now
      }
      try {
        if (lock.used) {
          lock.used = false;
        } else {
          lock.dead = true;
          locks.remove(e.getKey(), lock);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Returns the number of groups that have a lock now (for tests). */
  int size() {
    return locks.size();
  }
}
