package io.sseservice;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fans a service's notifications out to its {@link SseListener}s and {@link PresenceListener}s:
 * each call isolated (one that throws is logged, the others still run), none under a group lock
 * ({@link AfterLocks}), and nothing done at all when no listener is registered, so the hot path
 * pays nothing for notifications nobody hears.
 *
 * <p>Thread-safety: thread-safe (the lists are immutable).
 */
final class Listeners {

  private final List<SseListener> listeners;
  private final List<PresenceListener> presence;

  Listeners(List<SseListener> listeners, List<PresenceListener> presence) {
    this.listeners = listeners;
    this.presence = presence;
  }

  void connected(SseConnection connection) {
    notify(l -> l.onConnect(connection));
  }

  void disconnected(SseConnection connection, CloseReason reason) {
    notify(l -> l.onDisconnect(connection, reason));
  }

  void slowConsumer(SseConnection connection, long queuedBytes) {
    notify(l -> l.onSlowConsumer(connection, queuedBytes));
  }

  void eventsDropped(SseConnection connection, int count) {
    notify(l -> l.onEventsDropped(connection, count));
  }

  void eventsConflated(SseConnection connection, int count) {
    if (!listeners.isEmpty()) { // before the lambda: a replacement on the send path allocates none
      notify(l -> l.onEventsConflated(connection, count));
    }
  }

  void publishFailed(Target target, SseEvent event, Throwable cause) {
    notify(l -> l.onPublishFailed(target, event, cause));
  }

  void presence(PresenceEvent event) {
    for (PresenceListener listener : presence) {
      try {
        listener.onPresence(event);
      } catch (RuntimeException e) {
        SseService.LOG.log(
            Level.WARNING, Logs.quote("PresenceListener " + listener + " failed on " + event), e);
      }
    }
  }

  boolean hearsPresence() {
    return !presence.isEmpty();
  }

  private void notify(Consumer<SseListener> call) {
    if (listeners.isEmpty()) {
      return;
    }
    AfterLocks.run(
        () -> {
          for (SseListener listener : listeners) {
            try {
              call.accept(listener);
            } catch (RuntimeException e) {
              SseService.LOG.log(
                  Level.WARNING, Logs.quote("SseListener " + listener + " failed"), e);
            }
          }
        });
  }
}
