/**
 * Test support for sse-service and its adapters: {@link io.sseservice.test.SseTestClient},
 * {@link io.sseservice.test.RecordingListener}, {@link io.sseservice.test.InMemoryTransport},
 * {@link io.sseservice.test.ManualClock} and {@link io.sseservice.test.TransportCompatibilityKit}.
 */
@NullMarked
package io.sseservice.test;

import org.jspecify.annotations.NullMarked;
