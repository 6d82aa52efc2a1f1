package io.sseservice.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sseservice.SseEvent;
import io.sseservice.internal.ReplayFrames;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The replay side of the group logs in Redis: every node replays from them, so a browser may come
 * back to any node. A {@code Last-Event-ID} of the form {@code <epoch>-<seq>} is read from its
 * position on, in batches, up to the log's newest position when the replay began; an id of
 * another form (one the sender gave), of another epoch, or older than the log holds gets the reset
 * event. The backplane records events as it publishes them, so {@link #append} is never called.
 *
 * <p>Thread-safety: thread-safe.
 */
final class RedisHistory implements EventHistory {

  private static final int BATCH = 512;

  private final LogReader reader;

  /** The commands of the server that keeps a group's log. */
  private final Function<String, RedisAsyncCommands<String, String>> redis;

  RedisHistory(LogReader reader, Function<String, RedisAsyncCommands<String, String>> redis) {
    this.reader = reader;
    this.redis = redis;
  }

  @Override
  public Recorded append(
      String group, @Nullable String clientId, SseEvent event, Function<SseEvent, byte[]> encoder) {
    throw new UnsupportedOperationException(
        "the Redis backplane records events as it publishes them");
  }

  @Override
  public CompletionStage<Replay> replay(ReplayRequest request) {
    String id = request.lastEventId();
    int dash = id.lastIndexOf('-');
    long seq;
    try {
      seq = dash <= 0 ? -1 : Long.parseLong(id.substring(dash + 1));
    } catch (NumberFormatException e) {
      seq = -1;
    }
    String epoch = dash <= 0 ? "" : id.substring(0, dash);
    if (seq < 0 || epoch.isEmpty()) {
      epoch = "?"; // not one of ours: the read answers with the newest id, and a reset
      seq = 0;
    }
    return new Replaying(request, epoch, seq).next(seq);
  }

  /** One replay under way: reads batch after batch up to the newest position of the first. */
  private final class Replaying {
    private final ReplayRequest request;
    private final String epoch;
    private final ReplayFrames frames = new ReplayFrames();
    private long through = -1;

    Replaying(ReplayRequest request, String epoch, long afterSeq) {
      this.request = request;
      this.epoch = epoch;
    }

    CompletionStage<Replay> next(long after) {
      return reader
          .read(redis.apply(request.group()), request.group(), epoch, after, BATCH)
          .thenCompose(range -> take(range, after));
    }

    private CompletionStage<Replay> take(GroupRange range, long after) {
      if (through < 0) {
        through = range.newestSeq();
      }
      if (range.gone()) {
        return CompletableFuture.completedFuture(Replay.reset(range.newestId(), range.newestSeq()));
      }
      long last = after;
      for (GroupEvent event : range.events()) {
        if (event.seq() > through) {
          return done();
        }
        last = event.seq();
        if (event.clientId() == null || event.clientId().equals(request.clientId())) {
          frames.add(
              request.encoder().apply(event.event()), event.event().conflationKey().orElse(null));
          if (frames.size() > request.limit()) {
            return CompletableFuture.completedFuture(Replay.reset(range.newestId(), through));
          }
        }
      }
      if (range.events().size() < BATCH || last >= through) {
        return done();
      }
      return next(last);
    }

    private CompletionStage<Replay> done() {
      return CompletableFuture.completedFuture(Replay.of(frames.frames(), through));
    }
  }

  @Override
  public String toString() {
    return "RedisHistory";
  }
}
