package io.sseservice.test;

import org.jspecify.annotations.Nullable;

/**
 * One event as a real SSE client dispatched it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param event the event type ({@code message} when the stream gave none)
 * @param data the data, lines joined with {@code \n}
 * @param lastEventId the client's last event id after this event, null if none
 */
public record ReceivedEvent(String event, String data, @Nullable String lastEventId) {}
