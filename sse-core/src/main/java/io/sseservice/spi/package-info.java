/**
 * Extension points of the core: {@link io.sseservice.spi.Transport} for HTTP stacks,
 * {@link io.sseservice.spi.MessageCodec} for message formats, {@link io.sseservice.spi.EventHistory}
 * for replay, {@link io.sseservice.spi.Backplane} and {@link io.sseservice.spi.ClientDirectory}
 * for clusters, {@link io.sseservice.spi.Ticker} for time.
 */
@NullMarked
package io.sseservice.spi;

import org.jspecify.annotations.NullMarked;
