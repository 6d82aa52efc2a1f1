package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.CloseReason;
import io.sseservice.PresenceEvent;
import io.sseservice.PresenceListener;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseListener;
import io.sseservice.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link SseListener} and {@link PresenceListener} that records what happened, for
 * assertions: register it with {@code SseService.builder().listener(recorder)} (and
 * {@code .presenceListener(recorder)} for presence).
 *
 * <pre>{@code
 * RecordingListener.Disconnect d = recorder.takeDisconnect();
 * assertThat(d.reason()).isEqualTo(CloseReason.PEER_GONE);
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RecordingListener implements SseListener, PresenceListener {

  /** One recorded disconnect. @param connection the connection @param reason why it ended */
  public record Disconnect(SseConnection connection, CloseReason reason) {}

  private final List<SseConnection> connects = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
  private final List<Disconnect> allDisconnects = new CopyOnWriteArrayList<>();
  private final List<SseConnection> slowConsumers = new CopyOnWriteArrayList<>();
  private final List<Integer> drops = new CopyOnWriteArrayList<>();
  private final AtomicInteger conflated = new AtomicInteger();
  private final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
  private final List<Throwable> publishFailures = new CopyOnWriteArrayList<>();

  @Override
  public void onConnect(SseConnection connection) {
    connects.add(connection);
  }

  @Override
  public void onDisconnect(SseConnection connection, CloseReason reason) {
    Disconnect d = new Disconnect(connection, reason);
    allDisconnects.add(d);
    disconnects.add(d);
  }

  @Override
  public void onSlowConsumer(SseConnection connection, long queuedBytes) {
    slowConsumers.add(connection);
  }

  @Override
  public void onEventsDropped(SseConnection connection, int count) {
    drops.add(count);
  }

  @Override
  public void onEventsConflated(SseConnection connection, int count) {
    conflated.addAndGet(count);
  }

  @Override
  public void onPresence(PresenceEvent event) {
    presence.add(event);
  }

  @Override
  public void onPublishFailed(Target target, SseEvent event, Throwable cause) {
    publishFailures.add(cause);
  }

  /** Returns every presence event so far, in order (register it as a presence listener too). */
  public List<PresenceEvent> presence() {
    return List.copyOf(presence);
  }

  /** Returns the causes of every publish failure reported so far. */
  public List<Throwable> publishFailures() {
    return List.copyOf(publishFailures);
  }

  /** Returns the next disconnect not taken yet, waiting up to 10 seconds; fails if none. */
  public Disconnect takeDisconnect() {
    try {
      Disconnect d =
          disconnects.poll(SseTestClient.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (d == null) {
        throw new AssertionError("no disconnect within " + SseTestClient.DEFAULT_TIMEOUT);
      }
      return d;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Asserts that no disconnect arrived within {@code wait} that was not taken yet. */
  public void assertNoDisconnect(Duration wait) throws InterruptedException {
    assertThat(disconnects.poll(wait.toMillis(), TimeUnit.MILLISECONDS)).as("disconnect").isNull();
  }

  /** Returns every connect so far. */
  public List<SseConnection> connects() {
    return List.copyOf(connects);
  }

  /** Returns every disconnect so far, taken or not. */
  public List<Disconnect> disconnects() {
    return List.copyOf(allDisconnects);
  }

  /** Returns every connection reported as a slow consumer. */
  public List<SseConnection> slowConsumers() {
    return List.copyOf(slowConsumers);
  }

  /** Returns the total number of events reported replaced by a newer one of their key. */
  public int conflatedEvents() {
    return conflated.get();
  }

  /** Returns the total number of events reported dropped. */
  public int droppedEvents() {
    return drops.stream().mapToInt(Integer::intValue).sum();
  }
}
