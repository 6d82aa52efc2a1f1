package io.sseservice.test;

import io.sseservice.SseEvent;
import io.sseservice.internal.ReplayFrames;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link EventHistory} over an {@link InMemoryCluster}'s logs: every node replays from them,
 * so a client may reconnect to any node. It answers on the cluster's store thread, later, as a
 * remote store does; its backplane records, so {@link #append} is never called.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ClusterHistory implements EventHistory {

  private final InMemoryCluster cluster;

  ClusterHistory(InMemoryCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public Recorded append(
      String group, @Nullable String clientId, SseEvent event, Function<SseEvent, byte[]> encoder) {
    throw new UnsupportedOperationException(
        "the in-memory cluster's backplane records events as it publishes them");
  }

  @Override
  public CompletionStage<Replay> replay(ReplayRequest request) {
    return CompletableFuture.supplyAsync(() -> replayNow(request), cluster.store());
  }

  private Replay replayNow(ReplayRequest request) {
    ClusterLog log = cluster.existingLog(request.group());
    if (log == null) {
      return Replay.reset(null, 0);
    }
    synchronized (log) {
      long through = log.seq();
      List<GroupEvent> missed = log.after(request.clientId(), request.lastEventId());
      String newestId = log.newestIdFor(request.clientId());
      if (missed == null) {
        return Replay.reset(newestId, through);
      }
      ReplayFrames frames = new ReplayFrames();
      for (GroupEvent e : missed) {
        if (e.clientId() == null || e.clientId().equals(request.clientId())) {
          frames.add(request.encoder().apply(e.event()), e.event().conflationKey().orElse(null));
          if (frames.size() > request.limit()) {
            return Replay.reset(newestId, through);
          }
        }
      }
      return Replay.of(frames.frames(), through);
    }
  }

  @Override
  public String toString() {
    return "InMemoryCluster.history";
  }
}
