package io.sseservice.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sseservice.SseEvent;
import io.sseservice.spi.GroupEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes one group's sends, in the order they were made, with at most one
 * {@link Scripts#PUBLISH} call in flight per group: sends made while one is in flight wait, and
 * go out together in the next call (up to {@link #MAX_BATCH} events or {@link #MAX_BATCH_CHARS}
 * characters). An idle group's first send goes out at once; under load one script call carries
 * many events, so a group's rate is not bounded by one script call per send. (Several calls in
 * flight would need them issued in the order their batches were taken, under the lock; measured,
 * they gained under 3% here, so one it is.)
 *
 * <p>The publishers of idle groups are dropped: a publisher with nothing queued and nothing in
 * flight retires itself from the map, and a send that finds it retired makes a new one.
 *
 * <p>Thread-safety: thread-safe; each publisher's queue is guarded by its monitor, and the
 * script call is issued outside it.
 */
final class GroupPublisher {

  /** The most events one script call carries. */
  static final int MAX_BATCH = 256;

  /** The most characters of event fields one script call carries (one event may exceed it). */
  static final int MAX_BATCH_CHARS = 1 << 20;

  /** One send waiting for Redis's answer. */
  record Send(
      @Nullable String clientId,
      SseEvent event,
      List<String> fields,
      int chars,
      CompletableFuture<GroupEvent> result) {}

  private final String group;
  private final ConcurrentHashMap<String, GroupPublisher> publishers;
  private final RedisAsyncCommands<String, String> redis;
  private final Keys keys;
  private final RedisCluster cluster;
  private final IntConsumer answered;
  private final ArrayDeque<Send> queue = new ArrayDeque<>(); // guarded by this
  private boolean inFlight; // guarded by this
  private boolean retired; // guarded by this

  GroupPublisher(
      String group,
      ConcurrentHashMap<String, GroupPublisher> publishers,
      RedisAsyncCommands<String, String> redis,
      RedisCluster cluster,
      IntConsumer answered) {
    this.group = group;
    this.publishers = publishers;
    this.redis = redis;
    this.keys = cluster.keys();
    this.cluster = cluster;
    this.answered = answered;
  }

  /** Queues {@code send}; returns false if this publisher retired (make a new one). */
  boolean offer(Send send) {
    List<Send> batch;
    synchronized (this) {
      if (retired) {
        return false;
      }
      queue.add(send);
      if (inFlight) {
        return true;
      }
      inFlight = true;
      batch = takeBatch();
    }
    publish(batch);
    return true;
  }

  private List<Send> takeBatch() {
    List<Send> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    int chars = 0;
    while (!queue.isEmpty()
        && batch.size() < MAX_BATCH
        && (batch.isEmpty() || chars + queue.peek().chars() <= MAX_BATCH_CHARS)) {
      Send next = queue.poll();
      chars += next.chars();
      batch.add(next);
    }
    return batch;
  }

  private void publish(List<Send> batch) {
    List<String> args = new ArrayList<>(6 + batch.size() * 8);
    args.add(cluster.newEpoch());
    args.add(keys.feed());
    args.add(group);
    args.add(Integer.toString(cluster.maxEvents()));
    args.add(Long.toString(cluster.maxAge().toMillis()));
    args.add(Integer.toString(batch.size()));
    for (Send send : batch) {
      args.add(Integer.toString(send.fields().size()));
      args.addAll(send.fields());
    }
    String[] groupKeys = {keys.log(group), keys.seq(group), keys.epoch(group)};
    try {
      redis
          .<List<Object>>eval(
              Scripts.PUBLISH, ScriptOutputType.MULTI, groupKeys, args.toArray(String[]::new))
          .whenComplete((reply, failure) -> done(batch, reply, failure));
    } catch (RuntimeException e) {
      done(batch, null, e);
    }
  }

  private void done(List<Send> batch, @Nullable List<Object> reply, @Nullable Throwable failure) {
    answered.accept(batch.size());
    if (failure != null || reply == null) {
      Throwable cause = failure != null ? failure : new IllegalStateException("no reply");
      batch.forEach(send -> send.result().completeExceptionally(cause));
    } else {
      String epoch = (String) reply.get(0);
      long first = (Long) reply.get(1);
      for (int i = 0; i < batch.size(); i++) {
        Send send = batch.get(i);
        long seq = first + i;
        SseEvent recorded =
            send.event().id().isPresent()
                ? send.event()
                : send.event().toBuilder().id(EventFields.id(epoch, seq)).build();
        send.result().complete(new GroupEvent(group, epoch, seq, send.clientId(), recorded));
      }
    }
    List<Send> next;
    synchronized (this) {
      if (queue.isEmpty()) {
        inFlight = false;
        retired = true;
        publishers.remove(group, this);
        return;
      }
      next = takeBatch();
    }
    publish(next);
  }
}
